import type { DescMessage } from "@bufbuild/protobuf";
import type { Route } from "../routing/route";
import type { RequestBodyObject, SchemaObject } from "./openapi-types";
import { protoDescription } from "./proto-comments";
import type { SchemaComponents } from "./schema-components";

/**
 * The request body of a binding, or undefined when it takes none (`body` omitted).
 *
 * - `body: "*"`: the request message without the fields the path binds. With nothing bound that
 *   is a `$ref` to the message; otherwise an inline copy that leaves those fields out (a message
 *   whose fields are all bound disappears).
 * - `body: "<field>"`: that field's JSON value (for a message, again without the path-bound fields).
 *
 * `required` is set when the body carries a required field (`"*"`) or the body field is required.
 *
 * @param pathBound the field paths (proto names) the path template binds, e.g. `[["entity", "entity_type"]]`.
 */
export function requestBody(route: Route, pathBound: readonly string[][], components: SchemaComponents): RequestBodyObject | undefined {
  if (route.body === "") return undefined;
  if (route.body === "*") {
    const schema = messageWithout(route.method.input, pathBound, components);
    const required = schema.$ref ? route.method.input.fields.some((f) => components.isRequired(f)) : (schema.required?.length ?? 0) > 0;
    return { required, content: { "application/json": { schema } } };
  }
  const field = route.method.input.fields.find((f) => f.name === route.body);
  if (!field) throw new Error(`${route.method.input.typeName} has no body field "${route.body}"`);
  const nested = pathBound.filter((path) => path[0] === field.name).map((path) => path.slice(1));
  let schema: SchemaObject;
  if (field.fieldKind === "message" && nested.length > 0) {
    schema = messageWithout(field.message, nested, components);
  } else {
    schema = components.field(field);
  }
  const description = protoDescription(field);
  const body: RequestBodyObject = { required: components.isRequired(field), content: { "application/json": { schema } } };
  if (description) body.description = description;
  return body;
}

function messageWithout(desc: DescMessage, excluded: readonly string[][], components: SchemaComponents): SchemaObject {
  if (excluded.length === 0) return components.message(desc);
  const schema: SchemaObject = { type: "object" };
  const description = protoDescription(desc);
  if (description) schema.description = description;
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const field of desc.fields) {
    const below = excluded.filter((path) => path[0] === field.name);
    if (below.some((path) => path.length === 1)) continue;
    let property: SchemaObject;
    if (below.length > 0 && field.fieldKind === "message") {
      property = messageWithout(
        field.message,
        below.map((path) => path.slice(1)),
        components,
      );
      if (!property.properties || Object.keys(property.properties).length === 0) continue; // every field is in the path
      const fieldDescription = protoDescription(field);
      if (fieldDescription) property.description = fieldDescription;
    } else {
      property = components.field(field);
    }
    properties[field.jsonName] = property;
    if (components.isRequired(field)) required.push(field.jsonName);
  }
  if (Object.keys(properties).length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  return schema;
}
