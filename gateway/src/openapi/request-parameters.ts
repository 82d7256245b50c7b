import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Route } from "../routing/route";
import { fieldConstraints } from "./field-constraints";
import type { OpenApiPath, OpenApiPathParameter } from "./openapi-path";
import type { ParameterObject, SchemaObject } from "./openapi-types";
import { wellKnownSchema } from "./proto-json-schemas";
import type { SchemaComponents } from "./schema-components";

/** The header naming the workspace a request acts in (ARCHITECTURE section 4, step 4). */
export const WORKSPACE_ID_HEADER = "x-workspace-id";

/** The header that makes a POST safe to retry (ARCHITECTURE section 4, step 6). */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/**
 * The parameters of one operation, in a fixed order: the path variables in template order, the
 * query parameters in field order (depth first), then the `x-workspace-id` (except on `user`
 * methods, which act in no workspace) and (on POST) `Idempotency-Key` headers.
 *
 * Query parameters are every leaf field that neither the path nor the body binds, named by dotted
 * JSON path (`entity.entityType`); none when `body` is `"*"`. Singular message fields are walked
 * into; well-known types are leaves (their JSON text goes in the query string); repeated message
 * fields, maps and `OUTPUT_ONLY` fields are left out, as the transcoder cannot or does not read them.
 */
export function requestParameters(route: Route, path: OpenApiPath, components: SchemaComponents): ParameterObject[] {
  const parameters = path.parameters.map((p) => pathParameter(p, components));
  if (route.body !== "*") {
    const excluded = new Set(path.parameters.map((p) => p.fields.map((f) => f.name).join(".")).filter(Boolean));
    if (route.body) excluded.add(route.body);
    for (const leaf of queryLeaves(route.method.input, [], excluded, true, [route.method.input])) {
      parameters.push(queryParameter(leaf, components));
    }
  }
  // A `user` method acts on the caller's own account: the gateway ignores the workspace header.
  if (route.policy.access !== "user") {
    parameters.push({
      name: WORKSPACE_ID_HEADER,
      in: "header",
      description:
        route.policy.access === "public"
          ? "The workspace to operate in. Optional here: this endpoint is public."
          : "The workspace to operate in: its 24-character lower-case hex id. The caller must be a member of it.",
      required: route.policy.access !== "public",
      schema: { type: "string", pattern: "^[0-9a-f]{24}$" },
    });
  }
  if (route.httpMethod === "POST") {
    parameters.push({
      name: IDEMPOTENCY_KEY_HEADER,
      in: "header",
      description:
        "Makes the request safe to retry: for 24 hours, a request with the same key gets the first response replayed " +
        "(with `Idempotent-Replayed: true`) instead of running again. Reusing a key for a different request is a 409.",
      required: false,
      schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
    });
  }
  return parameters;
}

function pathParameter(parameter: OpenApiPathParameter, components: SchemaComponents): ParameterObject {
  const leaf = parameter.fields[parameter.fields.length - 1];
  const { description, deprecated, schema } = split(leaf ? components.field(leaf) : { type: "string" });
  const notes: string[] = [];
  if (description) notes.push(description);
  if (parameter.segmentPattern === "**") {
    notes.push("Multi-segment: the rest of the path, slashes included (not percent-encoded).");
  } else if (parameter.segmentPattern) {
    notes.push(`Multi-segment: the value has the form \`${parameter.segmentPattern}\`, slashes included (not percent-encoded).`);
  }
  if (parameter.valuePattern) {
    if (schema.pattern === undefined) schema.pattern = parameter.valuePattern;
    else (schema.allOf ??= []).push({ pattern: parameter.valuePattern });
  }
  const result: ParameterObject = { name: parameter.name, in: "path", required: true, schema };
  if (notes.length > 0) result.description = notes.join("\n\n");
  if (deprecated) result.deprecated = true;
  if (parameter.segmentPattern) result["x-velaflows-segment-pattern"] = parameter.segmentPattern;
  return result;
}

interface QueryLeaf {
  fields: DescField[];
  /** Required, and so is every message field on the way to it. */
  required: boolean;
}

function queryLeaves(message: DescMessage, prefix: DescField[], excluded: Set<string>, parentRequired: boolean, seen: DescMessage[]): QueryLeaf[] {
  const leaves: QueryLeaf[] = [];
  for (const field of message.fields) {
    const fields = [...prefix, field];
    if (excluded.has(fields.map((f) => f.name).join("."))) continue;
    const constraints = fieldConstraints(field);
    if (constraints.readOnly) continue;
    const required = parentRequired && constraints.required;
    if (field.fieldKind === "message" && !wellKnownSchema(field.message.typeName)) {
      if (seen.includes(field.message)) continue; // a recursive type: one level is enough to document
      leaves.push(...queryLeaves(field.message, fields, excluded, required, [...seen, field.message]));
      continue;
    }
    if (field.fieldKind === "map") continue;
    if (field.fieldKind === "list" && field.listKind === "message" && !wellKnownSchema(field.message.typeName)) continue;
    leaves.push({ fields, required });
  }
  return leaves;
}

function queryParameter(leaf: QueryLeaf, components: SchemaComponents): ParameterObject {
  const field = leaf.fields[leaf.fields.length - 1]!;
  const { description, deprecated, schema } = split(components.field(field));
  const parameter: ParameterObject = { name: leaf.fields.map((f) => f.jsonName).join("."), in: "query", required: leaf.required, schema };
  if (description) parameter.description = description;
  if (deprecated) parameter.deprecated = true;
  if (field.fieldKind === "list") {
    parameter.style = "form";
    parameter.explode = true; // ?tagIds=a&tagIds=b; commas are not split
  }
  return parameter;
}

/** Moves the annotations that belong on the parameter out of its schema. */
function split(fieldSchema: SchemaObject): { description?: string; deprecated?: boolean; schema: SchemaObject } {
  const { description, deprecated, readOnly: _readOnly, writeOnly: _writeOnly, ...schema } = fieldSchema;
  return { description, deprecated, schema };
}
