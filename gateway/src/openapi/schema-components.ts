import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { applyListRules, applyValueRules, fieldConstraints } from "./field-constraints";
import type { SchemaObject } from "./openapi-types";
import { protoDescription } from "./proto-comments";
import { enumSchema, scalarSchema, wellKnownSchema } from "./proto-json-schemas";
import { byCodePoint } from "./by-code-point";

/**
 * Turns proto messages and fields into JSON Schemas of their ProtoJSON form, and collects every
 * message it meets as a component named by its full proto name (`velaflows.tags.v1.Tag`).
 * Message-typed values are `$ref`s, so recursive messages terminate.
 */
export interface SchemaComponents {
  /** A value of the message: the inline schema of a well-known type, or a `$ref` to its component. */
  message(desc: DescMessage): SchemaObject;
  /** A field's JSON value: arrays and maps, rules, `readOnly`, deprecation and the field's comment. */
  field(field: DescField): SchemaObject;
  /** Whether the field must be given (`rules.required` or `field_behavior = REQUIRED`). */
  isRequired(field: DescField): boolean;
  /** Every component collected so far, sorted by name. */
  schemas(): Record<string, SchemaObject>;
}

/** The `$ref` of a schema component. */
export function schemaRef(name: string): string {
  return `#/components/schemas/${name}`;
}

/** Creates an empty set of components; the document builder uses one per document. */
export function createSchemaComponents(): SchemaComponents {
  const components = new Map<string, SchemaObject>();

  function message(desc: DescMessage): SchemaObject {
    const wellKnown = wellKnownSchema(desc.typeName);
    if (wellKnown) return wellKnown;
    if (!components.has(desc.typeName)) {
      components.set(desc.typeName, {}); // reserve the name first: recursive fields see it and use a $ref
      components.set(desc.typeName, objectSchema(desc));
    }
    return { $ref: schemaRef(desc.typeName) };
  }

  function objectSchema(desc: DescMessage): SchemaObject {
    const schema: SchemaObject = { type: "object" };
    const description = messageDescription(desc);
    if (description) schema.description = description;
    if (desc.fields.length > 0) {
      schema.properties = {};
      for (const f of desc.fields) schema.properties[f.jsonName] = field(f);
    }
    const required = desc.fields.filter(isRequired).map((f) => f.jsonName);
    if (required.length > 0) schema.required = required;
    if (desc.deprecated) schema.deprecated = true;
    return schema;
  }

  function field(f: DescField): SchemaObject {
    const constraints = fieldConstraints(f);
    let schema: SchemaObject;
    switch (f.fieldKind) {
      case "scalar":
        schema = applyValueRules(scalarSchema(f.scalar), constraints.rules, constraints.required);
        break;
      case "enum":
        schema = applyValueRules(enumSchema(f.enum), constraints.rules, constraints.required);
        break;
      case "message":
        schema = message(f.message);
        break;
      case "list": {
        const item =
          f.listKind === "scalar" ? scalarSchema(f.scalar) : f.listKind === "enum" ? enumSchema(f.enum) : message(f.message);
        const items = f.listKind === "message" ? item : applyValueRules(item, constraints.rules, false);
        schema = applyListRules({ type: "array", items }, constraints.rules, constraints.required);
        break;
      }
      case "map": {
        const value = f.mapKind === "scalar" ? scalarSchema(f.scalar) : f.mapKind === "enum" ? enumSchema(f.enum) : message(f.message);
        schema = { type: "object", additionalProperties: value };
        const keyPattern = MAP_KEY_PATTERNS[f.mapKey];
        if (keyPattern) schema.propertyNames = { pattern: keyPattern };
        break;
      }
    }
    const description = protoDescription(f);
    if (description) schema.description = description;
    if (constraints.readOnly) schema.readOnly = true;
    if (constraints.writeOnly) schema.writeOnly = true;
    if (f.deprecated) schema.deprecated = true;
    return schema;
  }

  function isRequired(f: DescField): boolean {
    return fieldConstraints(f).required;
  }

  function schemas(): Record<string, SchemaObject> {
    return Object.fromEntries([...components.entries()].sort(([a], [b]) => byCodePoint(a, b)));
  }

  return { message, field, isRequired, schemas };
}

/** Map keys are JSON object keys, so they are always strings; numeric and bool keys get a pattern. */
const MAP_KEY_PATTERNS: Partial<Record<ScalarType, string>> = {
  [ScalarType.INT32]: "^-?[0-9]+$",
  [ScalarType.SINT32]: "^-?[0-9]+$",
  [ScalarType.SFIXED32]: "^-?[0-9]+$",
  [ScalarType.INT64]: "^-?[0-9]+$",
  [ScalarType.SINT64]: "^-?[0-9]+$",
  [ScalarType.SFIXED64]: "^-?[0-9]+$",
  [ScalarType.UINT32]: "^[0-9]+$",
  [ScalarType.FIXED32]: "^[0-9]+$",
  [ScalarType.UINT64]: "^[0-9]+$",
  [ScalarType.FIXED64]: "^[0-9]+$",
  [ScalarType.BOOL]: "^(true|false)$",
};

/** The message's comment, plus one line per oneof naming its mutually exclusive members. */
function messageDescription(desc: DescMessage): string | undefined {
  const lines: string[] = [];
  const comment = protoDescription(desc);
  if (comment) lines.push(comment);
  for (const oneof of desc.oneofs) {
    lines.push(`At most one of ${oneof.fields.map((f) => `\`${f.jsonName}\``).join(", ")} is set.`);
  }
  return lines.length > 0 ? lines.join("\n\n") : undefined;
}
