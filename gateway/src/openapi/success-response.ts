import { STATUS_CODES } from "node:http";
import { getOption, hasOption } from "@bufbuild/protobuf";
import { response_content_type } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { Route } from "../routing/route";
import { commonResponseHeaders, headerRef } from "./error-responses";
import type { HeaderObject, ReferenceObject, ResponseObject, SchemaObject } from "./openapi-types";
import type { SchemaComponents } from "./schema-components";

/**
 * The success response of a binding: the method's success status (`success_status`, 200 when
 * unset) with the envelope `{ success: true, data }`, where `data` is the response message, or
 * the `response_body` field when the binding names one. POST responses also document
 * `Idempotent-Replayed`. A binding that answers a `google.api.HttpBody` documents the raw body
 * instead (see fileResponse).
 */
export function successResponse(route: Route, components: SchemaComponents): { status: string; response: ResponseObject } {
  const status = route.policy.successStatus || 200;
  if (route.httpBody) return { status: String(status), response: fileResponse(route, status) };
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

/**
 * A download: the bytes of a `google.api.HttpBody`, with the media type the method declares in
 * `response_content_type` (application/octet-stream when unset) and `Content-Disposition`.
 */
function fileResponse(route: Route, status: number): ResponseObject {
  const declared = hasOption(route.method, response_content_type) ? getOption(route.method, response_content_type) : "";
  const mediaType = declared || "application/octet-stream";
  const headers: Record<string, HeaderObject | ReferenceObject> = commonResponseHeaders();
  headers["Content-Disposition"] = {
    description: 'For a file to save: `attachment; filename="<name>"` (and `filename*` for a name that is not ASCII).',
    schema: { type: "string" },
  };
  // OpenAPI 3.1 describes raw bytes by their media type alone; a textual type is a string.
  const schema: SchemaObject = mediaType.startsWith("text/") ? { type: "string" } : { type: "string", contentMediaType: mediaType };
  return { description: STATUS_CODES[status] ?? "Success", headers, content: { [mediaType]: { schema } } };
}
