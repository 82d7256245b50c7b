import type { HeaderObject, ReferenceObject, ResponseObject, SchemaObject } from "./openapi-types";
import { schemaRef } from "./schema-components";

/**
 * Every `error.code` the gateway writes: the ARCHITECTURE section 4 table (`errors/http-status.ts`)
 * and the errors the gateway answers itself (405, 413, 415 from routing and body reading).
 */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "VALIDATION_ERROR",
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  "NOT_IMPLEMENTED",
  "SERVICE_UNAVAILABLE",
  "GATEWAY_TIMEOUT",
] as const;

/** The response headers every gateway response carries, errors included. */
const COMMON_HEADERS = ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] as const;

/** The `$ref` of a header component. */
export function headerRef(name: string): ReferenceObject {
  return { $ref: `#/components/headers/${name}` };
}

/** The headers of every response, as references to the shared header components. */
export function commonResponseHeaders(): Record<string, ReferenceObject> {
  return Object.fromEntries(COMMON_HEADERS.map((name) => [name, headerRef(name)]));
}

interface ErrorResponseSpec {
  status: number;
  name: string;
  code: (typeof ERROR_CODES)[number];
  description: string;
  message: string;
  schema: "ErrorResponse" | "ValidationErrorResponse" | "NotFoundErrorResponse";
  details?: Record<string, unknown>;
  extraHeaders?: string[];
}

/** The error responses of every operation, in status order. */
const ERROR_RESPONSES: readonly ErrorResponseSpec[] = [
  {
    status: 400,
    name: "BadRequest",
    code: "BAD_REQUEST",
    description: "The request is malformed: a path or query value of the wrong type, a body that is not valid JSON, or a bad header.",
    message: 'Invalid value for parameter "limit": expected an integer',
    schema: "ErrorResponse",
    details: { parameter: "limit" },
  },
  {
    status: 401,
    name: "Unauthorized",
    code: "UNAUTHORIZED",
    description: "The bearer token is missing, malformed, expired or revoked.",
    message: "Missing or invalid authentication token",
    schema: "ErrorResponse",
    extraHeaders: ["WWW-Authenticate"],
  },
  {
    status: 403,
    name: "Forbidden",
    code: "FORBIDDEN",
    description:
      "The caller is not a member of the workspace, or lacks the endpoint's permission (`x-velaflows-access`); " +
      "or an API token called an account endpoint (`x-velaflows-access: user`), which needs a signed-in user's access token.",
    message: 'Missing permission "tags:write"',
    schema: "ErrorResponse",
  },
  {
    status: 404,
    name: "NotFound",
    code: "NOT_FOUND",
    description: "The resource does not exist in this workspace; `details.resourceId` names it (a batch get's every missing id: `details.missingIds`).",
    message: "Tag not found",
    schema: "NotFoundErrorResponse",
    details: { resourceId: "6612a1b2c3d4e5f6a7b8c9d0" },
  },
  {
    status: 409,
    name: "Conflict",
    code: "CONFLICT",
    description: "The resource already exists, or its state does not allow the operation (also: an Idempotency-Key reused for a different request).",
    message: "A tag with this name already exists",
    schema: "ErrorResponse",
  },
  {
    status: 422,
    name: "ValidationError",
    code: "VALIDATION_ERROR",
    description: "The request failed validation; `details.errors` lists every field at fault by its JSON path.",
    message: "Validation failed",
    schema: "ValidationErrorResponse",
    details: { errors: [{ path: "name", message: "must be at most 100 characters" }] },
  },
  {
    status: 429,
    name: "TooManyRequests",
    code: "TOO_MANY_REQUESTS",
    description:
      "The rate limit of the endpoint's class (`x-velaflows-rate-limit`) is used up, or the service throttles the request " +
      "(e.g. too many failed logins for one e-mail address, with `details.retryAfterSeconds`); retry after `Retry-After` seconds.",
    message: "Rate limit exceeded. Try again in 45 seconds.",
    schema: "ErrorResponse",
    extraHeaders: ["Retry-After"],
  },
  {
    status: 500,
    name: "InternalError",
    code: "INTERNAL_ERROR",
    description: "An unexpected error. The message is generic; quote `error.requestId` to support.",
    message: "Internal server error",
    schema: "ErrorResponse",
  },
  {
    status: 503,
    name: "ServiceUnavailable",
    code: "SERVICE_UNAVAILABLE",
    description: "The service behind the endpoint is unavailable; retry with backoff.",
    message: "Service unavailable",
    schema: "ErrorResponse",
  },
  {
    status: 504,
    name: "GatewayTimeout",
    code: "GATEWAY_TIMEOUT",
    description: "The service did not answer in time.",
    message: "Deadline exceeded",
    schema: "ErrorResponse",
  },
];

/** The error responses every operation lists: status → `$ref` to the shared response component. */
export function errorResponseRefs(): Record<string, ReferenceObject> {
  return Object.fromEntries(ERROR_RESPONSES.map((r) => [String(r.status), { $ref: `#/components/responses/${r.name}` }]));
}

/** The shared components behind the error responses: envelope schemas, responses and headers. */
export interface ErrorComponents {
  schemas: Record<string, SchemaObject>;
  responses: Record<string, ResponseObject>;
  headers: Record<string, HeaderObject>;
}

/**
 * The error envelope `{ success: false, error: { code, message, details, requestId } }` as
 * `ErrorResponse`, its 422 form with `details.errors[{path, message}]` as
 * `ValidationErrorResponse` and its 404 form with `details.resourceId` (and a batch get's
 * `details.missingIds`) as `NotFoundErrorResponse`, one response component per status, and the
 * response headers.
 */
export function errorComponents(): ErrorComponents {
  const responses: Record<string, ResponseObject> = {};
  for (const spec of ERROR_RESPONSES) {
    const headers: Record<string, ReferenceObject> = commonResponseHeaders();
    for (const name of spec.extraHeaders ?? []) headers[name] = headerRef(name);
    const example = {
      success: false,
      error: { code: spec.code, message: spec.message, ...(spec.details ? { details: spec.details } : {}), requestId: "3f1c9a52-8d7e-4b0a-9c61-2e5f7a8b9c0d" },
    };
    responses[spec.name] = { description: spec.description, headers, content: { "application/json": { schema: { $ref: schemaRef(spec.schema) }, example } } };
  }
  return {
    schemas: {
      ErrorResponse: envelope({ type: "string", enum: [...ERROR_CODES] }, { type: "object", additionalProperties: true, description: "More about the error; its keys depend on the code." }),
      NotFoundErrorResponse: envelope(
        { type: "string", const: "NOT_FOUND" },
        {
          type: "object",
          properties: {
            resourceId: { type: "string", description: "The id of the resource that was not found." },
            missingIds: { type: "array", items: { type: "string" }, description: "A batch get's every missing id, in request order." },
          },
        },
      ),
      ValidationErrorResponse: envelope(
        { type: "string", const: "VALIDATION_ERROR" },
        {
          type: "object",
          required: ["errors"],
          properties: {
            errors: {
              type: "array",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: {
                  path: { type: "string", description: 'The JSON path of the field, e.g. "name" or "entities[1].entityId".' },
                  message: { type: "string", description: "What is wrong with it." },
                },
              },
            },
          },
        },
        true,
      ),
    },
    responses,
    headers: {
      "Idempotent-Replayed": {
        description: '"true" when this is the stored response of an earlier request with the same Idempotency-Key.',
        schema: { type: "string", enum: ["true"] },
      },
      "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
      "WWW-Authenticate": { description: "The authentication scheme to use: Bearer.", schema: { type: "string" } },
      "X-RateLimit-Limit": { description: "The request budget of the current window.", schema: { type: "integer", minimum: 0 } },
      "X-RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer", minimum: 0 } },
      "X-RateLimit-Reset": { description: "When the current window ends, in Unix seconds.", schema: { type: "integer", minimum: 0 } },
      "X-Request-Id": { description: "The request's id (the caller's X-Request-Id, or a new UUID); quote it to support.", schema: { type: "string" } },
    },
  };
}

function envelope(code: SchemaObject, details: SchemaObject, detailsRequired = false): SchemaObject {
  return {
    type: "object",
    required: ["success", "error"],
    properties: {
      success: { type: "boolean", const: false },
      error: {
        type: "object",
        required: detailsRequired ? ["code", "message", "details", "requestId"] : ["code", "message", "requestId"],
        properties: {
          code: { ...code, description: "A stable, machine-readable error code." },
          message: { type: "string", description: "A human-readable explanation, safe to show." },
          details,
          requestId: { type: "string", description: "The request's X-Request-Id." },
        },
      },
    },
  };
}
