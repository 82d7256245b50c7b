import { STATUS_CODES } from "node:http";
import type { Route } from "../routing/route";
import { commonResponseHeaders, headerRef } from "./error-responses";
import type { ResponseObject, SchemaObject } from "./openapi-types";
import type { SchemaComponents } from "./schema-components";

/**
 * The success response of a binding: the method's success status (`success_status`, 200 when
 * unset) with the envelope `{ success: true, data }`, where `data` is the response message, or
 * the `response_body` field when the binding names one. POST responses also document
 * `Idempotent-Replayed`.
 */
export function successResponse(route: Route, components: SchemaComponents): { status: string; response: ResponseObject } {
  const status = route.policy.successStatus || 200;
  let data: SchemaObject;
  if (route.responseBody) {
    const field = route.method.output.fields.find((f) => f.name === route.responseBody);
    if (!field) throw new Error(`${route.method.output.typeName} has no response_body field "${route.responseBody}"`);
    data = components.field(field);
  } else {
    data = components.message(route.method.output);
  }
  const headers = commonResponseHeaders();
  if (route.httpMethod === "POST") headers["Idempotent-Replayed"] = headerRef("Idempotent-Replayed");
  const schema: SchemaObject = {
    type: "object",
    required: ["success", "data"],
    properties: { success: { type: "boolean", const: true }, data },
  };
  return {
    status: String(status),
    response: { description: STATUS_CODES[status] ?? "Success", headers, content: { "application/json": { schema } } },
  };
}
