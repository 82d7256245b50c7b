import { getOption, hasOption, type DescField } from "@bufbuild/protobuf";
import { field_behavior, FieldBehavior } from "@velaflows/proto/es/google/api/field_behavior_pb";
import { FieldFormat, rules as rulesOption, type FieldRules } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { SchemaObject } from "./openapi-types";

/** What the field's options say about it: `velaflows.api.v1.rules` and `google.api.field_behavior`. */
export interface FieldConstraints {
  /**
   * `rules.required`, `field_behavior = REQUIRED`, or a repeated field with `min_items` of 1 or
   * more (the gateway refuses such a list when it is absent, as it refuses a missing required field).
   */
  required: boolean;
  /** `field_behavior = OUTPUT_ONLY`: set by the server, ignored in requests. */
  readOnly: boolean;
  /** `field_behavior = INPUT_ONLY`: accepted in requests, never returned. */
  writeOnly: boolean;
  rules?: FieldRules;
}

/** Reads the constraints declared on a field. */
export function fieldConstraints(field: DescField): FieldConstraints {
  const rules = hasOption(field, rulesOption) ? getOption(field, rulesOption) : undefined;
  const behavior = hasOption(field, field_behavior) ? getOption(field, field_behavior) : [];
  return {
    required:
      (rules?.required ?? false) || behavior.includes(FieldBehavior.REQUIRED) || (field.fieldKind === "list" && (rules?.minItems ?? 0) > 0),
    readOnly: behavior.includes(FieldBehavior.OUTPUT_ONLY),
    writeOnly: behavior.includes(FieldBehavior.INPUT_ONLY),
    rules,
  };
}

/**
 * How each `FieldFormat` is written: JSON Schema formats where one exists, otherwise the same
 * pattern the kit's validator (`validateMessage`) checks.
 */
const FORMAT_SCHEMAS: Partial<Record<FieldFormat, SchemaObject>> = {
  [FieldFormat.EMAIL]: { format: "email" },
  [FieldFormat.URL]: { format: "uri" },
  [FieldFormat.E164]: { pattern: "^\\+[1-9][0-9]{7,14}$" },
  [FieldFormat.OBJECT_ID]: { pattern: "^[0-9a-f]{24}$" },
  [FieldFormat.HEX_COLOR]: { pattern: "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$" },
};

/**
 * Adds the per-value rules (lengths, bounds, allowed values, format, pattern) to the schema of one
 * value: a singular field or one element of a repeated field. `required` strings get
 * `minLength: 1`, because the gateway treats "" as "not given".
 */
export function applyValueRules(schema: SchemaObject, rules: FieldRules | undefined, required: boolean): SchemaObject {
  const isString = schema.type === "string" && schema.format !== "int64" && schema.format !== "uint64" && schema.format !== "byte";
  if (isString && required) schema.minLength = 1;
  if (!rules) return schema;
  if (isString) {
    if (rules.minLen !== undefined) schema.minLength = Math.max(rules.minLen, schema.minLength ?? 0);
    if (rules.maxLen !== undefined) schema.maxLength = rules.maxLen;
    const format = FORMAT_SCHEMAS[rules.format];
    if (format) addConstraints(schema, format);
  }
  if (rules.in.length > 0 && (isString || schema.enum)) schema.enum = [...rules.in];
  if (rules.pattern) addConstraints(schema, { pattern: `^(?:${rules.pattern})$` });
  if (isNumeric(schema)) {
    if (rules.min !== undefined) schema.minimum = rules.min;
    if (rules.max !== undefined) schema.maximum = rules.max;
  }
  return schema;
}

/** Adds `min_items`/`max_items` (and `minItems: 1` when required) to an array schema. */
export function applyListRules(schema: SchemaObject, rules: FieldRules | undefined, required: boolean): SchemaObject {
  const minItems = Math.max(rules?.minItems ?? 0, required ? 1 : 0);
  if (minItems > 0) schema.minItems = minItems;
  if (rules?.maxItems !== undefined) schema.maxItems = rules.maxItems;
  return schema;
}

function isNumeric(schema: SchemaObject): boolean {
  return schema.type === "integer" || schema.type === "number" || schema.format === "int64" || schema.format === "uint64";
}

/** Merges constraints; a second `pattern` goes under `allOf` (a schema holds one). */
function addConstraints(schema: SchemaObject, extra: SchemaObject): void {
  for (const [key, value] of Object.entries(extra) as [keyof SchemaObject, unknown][]) {
    if (key === "pattern" && schema.pattern !== undefined) {
      (schema.allOf ??= []).push({ pattern: value as string });
    } else {
      (schema as Record<string, unknown>)[key] = value;
    }
  }
}
