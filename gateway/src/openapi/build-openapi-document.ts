import type { DescService } from "@bufbuild/protobuf";
import { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { Route } from "../routing/route";
import { errorComponents, errorResponseRefs } from "./error-responses";
import { openApiPath } from "./openapi-path";
import { OPENAPI_METHODS, type OpenApiDocument, type OpenApiMethod, type OperationObject, type PathItemObject, type TagObject } from "./openapi-types";
import { protoDescription } from "./proto-comments";
import { requestBody } from "./request-body";
import { requestParameters } from "./request-parameters";
import { createSchemaComponents } from "./schema-components";
import { byCodePoint } from "./by-code-point";
import { successResponse } from "./success-response";

/** What the document says about itself. */
export interface OpenApiDocumentOptions {
  /** `info.title`, e.g. "VelaFlows API". */
  title: string;
  /** `info.version`: the version of the document (the platform release), not of OpenAPI. */
  version: string;
  /** `info.description` (Markdown). */
  description?: string;
  /** The origin the paths are relative to, without `/api/v1` (the paths carry it): "https://api.velaflows.com". */
  serverUrl: string;
}

/** The security scheme every non-public operation requires. */
export const BEARER_AUTH = "bearerAuth";

/**
 * Generates the OpenAPI 3.1 document of the gateway's routes from the descriptors alone:
 *
 * - a path item per template (`{entity.entity_type}` → `{entity.entityType}`, `:verb` kept), an
 *   operation per binding (`operationId` `<Service>_<Method>`, `_<n>` for additional bindings),
 *   one tag per service, summary and description from the method's proto comment;
 * - path, query and header parameters, the request body, the success envelope with the method's
 *   status, and the shared error responses;
 * - a schema component per reachable message, named by its full proto name, in ProtoJSON form
 *   with the field rules and behaviours;
 * - bearer security (`security: []` on public methods), the method's access and rate-limit class
 *   as `x-velaflows-access` and `x-velaflows-rate-limit`.
 *
 * The output depends only on the set of routes, not their order: paths, methods, tags and
 * components are sorted, so the JSON can be compared as a snapshot. Throws when two bindings
 * produce the same OpenAPI path and method.
 */
export function buildOpenApiDocument(routes: readonly Route[], options: OpenApiDocumentOptions): OpenApiDocument {
  const components = createSchemaComponents();
  const names = serviceNames(routes.map((r) => r.method.parent));
  const paths = new Map<string, PathItemObject>();
  const tags = new Map<string, TagObject>();
  const sorted = [...routes].sort((a, b) => byCodePoint(routeKey(a), routeKey(b)));

  for (const route of sorted) {
    const service = route.method.parent;
    const { label, tag } = names.get(service.typeName)!;
    if (!tags.has(tag)) tags.set(tag, tagObject(tag, service));
    const path = openApiPath(route.template, route.method.input);
    const pathBound = path.parameters.filter((p) => p.fields.length > 0).map((p) => p.fields.map((f) => f.name));
    const success = successResponse(route, components);
    const operation = operationObject(route, label, tag, {
      parameters: requestParameters(route, path, components),
      requestBody: requestBody(route, pathBound, components),
      responses: { [success.status]: success.response, ...errorResponseRefs() },
    });
    addOperation(paths, path.path, route, operation);
  }

  const errors = errorComponents();
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, ...(options.description ? { description: options.description } : {}) },
    servers: [{ url: options.serverUrl }],
    security: [{ [BEARER_AUTH]: [] }],
    tags: [...tags.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    paths: Object.fromEntries([...paths.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([key, item]) => [key, orderedPathItem(item)])),
    components: {
      schemas: sortedRecord({ ...errors.schemas, ...components.schemas() }),
      responses: errors.responses,
      headers: sortedRecord(errors.headers),
      securitySchemes: {
        [BEARER_AUTH]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT or API token (sk_live_… / sk_test_…)",
          description:
            "`Authorization: Bearer <token>`: an access token from the Auth API login, or an API token (`sk_live_…`, `sk_test_…`) " +
            "created in Settings > API Tokens. Every authenticated request also names its workspace in the `x-workspace-id` header.",
        },
      },
    },
  };
}

function operationObject(
  route: Route,
  label: string,
  tag: string,
  parts: Pick<OperationObject, "parameters" | "requestBody" | "responses">,
): OperationObject {
  const method = route.method;
  const comment = protoDescription(method);
  // One literal, so the JSON reads in the usual order: identity, docs, security, request, responses.
  return {
    operationId: route.bindingIndex > 0 ? `${label}_${method.name}_${route.bindingIndex}` : `${label}_${method.name}`,
    summary: comment ? summarize(comment) : method.name,
    ...(comment ? { description: comment } : {}),
    tags: [tag],
    ...(method.deprecated ? { deprecated: true } : {}),
    ...(route.policy.access === "public" ? { security: [] } : {}),
    parameters: parts.parameters,
    ...(parts.requestBody ? { requestBody: parts.requestBody } : {}),
    responses: parts.responses,
    "x-velaflows-access": route.policy.access,
    "x-velaflows-rate-limit": rateLimitName(route.policy.rateLimit),
    "x-velaflows-grpc-method": `/${method.parent.typeName}/${method.name}`,
  };
}

function addOperation(paths: Map<string, PathItemObject>, path: string, route: Route, operation: OperationObject): void {
  let item = paths.get(path);
  if (!item) paths.set(path, (item = {}));
  const key = route.httpMethod.toLowerCase();
  const taken = (OPENAPI_METHODS as readonly string[]).includes(key)
    ? item[key as OpenApiMethod]
    : item["x-velaflows-custom-methods"]?.[route.httpMethod];
  if (taken) throw new Error(`Two bindings document ${route.httpMethod} ${path}: ${taken.operationId} and ${operation.operationId}`);
  if ((OPENAPI_METHODS as readonly string[]).includes(key)) item[key as OpenApiMethod] = operation;
  else (item["x-velaflows-custom-methods"] ??= {})[route.httpMethod] = operation;
}

function orderedPathItem(item: PathItemObject): PathItemObject {
  const ordered: PathItemObject = {};
  for (const method of OPENAPI_METHODS) if (item[method]) ordered[method] = item[method];
  const custom = item["x-velaflows-custom-methods"];
  if (custom) ordered["x-velaflows-custom-methods"] = sortedRecord(custom);
  return ordered;
}

/**
 * The operationId prefix and tag of each service: its short name ("TagsService", tag "Tags"), or
 * its full name with dots as underscores where two packages define a service of the same name.
 */
function serviceNames(services: readonly DescService[]): Map<string, { label: string; tag: string }> {
  const byShortName = new Map<string, Set<string>>();
  for (const service of services) {
    const set = byShortName.get(service.name) ?? new Set();
    set.add(service.typeName);
    byShortName.set(service.name, set);
  }
  const names = new Map<string, { label: string; tag: string }>();
  for (const service of services) {
    const unique = byShortName.get(service.name)!.size === 1;
    const label = unique ? service.name : service.typeName.replace(/\./g, "_");
    const tag = unique ? service.name.replace(/(?<=.)Service$/, "") : service.typeName;
    names.set(service.typeName, { label, tag });
  }
  return names;
}

function tagObject(name: string, service: DescService): TagObject {
  const tag: TagObject = { name };
  const description = protoDescription(service);
  if (description) tag.description = description;
  tag["x-velaflows-service"] = service.typeName;
  return tag;
}

/** The first sentence of the comment's first paragraph, on one line, without its final period. */
function summarize(comment: string): string {
  const paragraph = comment.split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").trim();
  const sentence = /^(.+?[.!?])(?:\s|$)/.exec(paragraph)?.[1] ?? paragraph;
  return sentence.replace(/\.$/, "");
}

/** "general", "auth", "upload", "bulk"; unset counts as general. */
function rateLimitName(rateLimit: RateLimitClass): string {
  const name = rateLimit === RateLimitClass.UNSPECIFIED ? undefined : RateLimitClass[rateLimit];
  return (name ?? "GENERAL").toLowerCase();
}

function routeKey(route: Route): string {
  return `${route.template.source} ${route.httpMethod} ${route.method.parent.typeName}.${route.method.name} ${route.bindingIndex}`;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => byCodePoint(a, b)));
}
