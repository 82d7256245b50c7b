import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { getOption, type DescField, type DescMethod, type DescMessage } from "@bufbuild/protobuf";
import { methodPolicy, protoRegistry } from "@velaflows/kit";
import { http } from "@velaflows/proto/es/google/api/annotations_pb";
import type { Route } from "../routing/route";
import { buildRoutes } from "../routing/route-table";
import { answersHttpBody } from "../transcoding/http-body";
import { buildOpenApiDocument } from "./build-openapi-document";
import { ERROR_CODES } from "./error-responses";
import type { OpenApiDocument, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from "./openapi-types";

// Routes of the real Tags service, read from `google.api.http` the way the route table does; only
// what the generator reads (source, variables' field paths, body, policy) is filled in.
function routesOf(serviceName: string): Route[] {
  const service = protoRegistry().getService(serviceName);
  if (!service) throw new Error(`no ${serviceName} in the registry`);
  return service.methods.flatMap((method) => {
    const rule = getOption(method, http);
    return [rule, ...rule.additionalBindings].map((binding, bindingIndex): Route => {
      const pattern = binding.pattern;
      if (pattern.case === undefined) throw new Error(`${method.name}: no pattern`);
      const [httpMethod, source] = pattern.case === "custom" ? [pattern.value.kind, pattern.value.path] : [pattern.case.toUpperCase(), pattern.value];
      const variables = [...source.matchAll(/\{([^}=]+)/g)].map((m) => ({ fields: fieldPath(method.input, m[1]!), start: 0, end: 0 }));
      return {
        httpMethod,
        template: { source, segments: [], variables },
        body: binding.body,
        responseBody: binding.responseBody,
        httpBody: answersHttpBody(method.output, binding.responseBody),
        method,
        policy: methodPolicy(method),
        upstream: "tags",
        bindingIndex,
      };
    });
  });
}

function fieldPath(message: DescMessage, path: string): DescField[] {
  const fields: DescField[] = [];
  let current: DescMessage | undefined = message;
  for (const name of path.split(".")) {
    const field: DescField | undefined = current?.fields.find((f) => f.name === name);
    if (!field) throw new Error(`${message.typeName} has no ${path}`);
    fields.push(field);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return fields;
}

const OPTIONS = { title: "VelaFlows API", version: "1.0.0", description: "The VelaFlows REST API.", serverUrl: "http://localhost:4000" };
const tagsRoutes = routesOf("velaflows.tags.v1.TagsService");
const document = buildOpenApiDocument(tagsRoutes, OPTIONS);

const TAG_REF = "#/components/schemas/velaflows.tags.v1.Tag";
const ENTITY_TYPES = ["customer", "conversation", "lead", "registration", "broker", "task", "broadcast", "message"];

function operation(method: "get" | "post" | "put" | "patch" | "delete", path: string): OperationObject {
  const op = document.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path} in ${Object.keys(document.paths).join(", ")}`);
  return op;
}

/** Follows a `$ref` into the document. */
function deref<T>(value: T | ReferenceObject): T {
  const ref = (value as ReferenceObject).$ref;
  if (!ref) return value as T;
  let target: unknown = document;
  for (const part of ref.slice(2).split("/")) target = (target as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (target === undefined) throw new Error(`unresolved ${ref}`);
  return target as T;
}

function schemaOf(name: string): SchemaObject {
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`no component ${name}`);
  return schema;
}

function bodySchema(op: OperationObject): SchemaObject {
  return op.requestBody!.content["application/json"]!.schema;
}

function dataSchema(op: OperationObject, status: string): SchemaObject {
  const response = deref<ResponseObject>(op.responses[status]!);
  return response.content!["application/json"]!.schema.properties!.data!;
}

function parameters(op: OperationObject, where: ParameterObject["in"]): ParameterObject[] {
  return op.parameters.filter((p) => p.in === where);
}

interface ValidationOutcome {
  valid: boolean;
  errors: unknown;
  schemaErrors: string[];
}

/**
 * Validates with @seriousme/openapi-schema-validator (the OpenAPI 3.1 meta-schema), then checks
 * every JSON Schema in the document against the JSON Schema 2020-12 meta-schema with the same ajv,
 * compiles each component (catching bad patterns and dangling refs) and checks the examples
 * against their schemas. The validator is ESM-only, which jest's CommonJS runtime cannot import,
 * so it runs in a child `node` process.
 */
function validateOpenApi(doc: OpenApiDocument): Promise<ValidationOutcome> {
  const script = `
    import { createRequire } from "node:module";
    import { Validator } from "@seriousme/openapi-schema-validator";
    const require = createRequire(import.meta.resolve("@seriousme/openapi-schema-validator"));
    const Ajv2020 = require("ajv/dist/2020").default;
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    const doc = JSON.parse(text);
    const result = await new Validator().validate(structuredClone(doc));
    const schemaErrors = [];
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const visit = (schema, where) => {
      if (!ajv.validateSchema(schema)) schemaErrors.push(where + ": " + ajv.errorsText(ajv.errors));
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) visit(schema, "components.schemas." + name);
    for (const [name, header] of Object.entries(doc.components.headers)) visit(header.schema, "components.headers." + name);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const p of op.parameters ?? []) visit(p.schema, method + " " + path + " parameter " + p.name);
        for (const media of Object.values(op.requestBody?.content ?? {})) visit(media.schema, method + " " + path + " requestBody");
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          for (const media of Object.values(response.content ?? {})) visit(media.schema, method + " " + path + " " + status);
        }
      }
    }
    const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll("#/components/schemas/", "urn:velaflows:schemas#/$defs/"));
    ajv.addSchema({ $id: "urn:velaflows:schemas", $defs: defs }, undefined, undefined, false); // already checked above
    for (const name of Object.keys(defs)) {
      try {
        ajv.getSchema("urn:velaflows:schemas#/$defs/" + name.replaceAll("~", "~0").replaceAll("/", "~1"));
      } catch (error) {
        schemaErrors.push("compiling " + name + ": " + error.message);
      }
    }
    for (const [name, response] of Object.entries(doc.components.responses)) {
      for (const media of Object.values(response.content ?? {})) {
        if (media.example === undefined) continue;
        try {
          const check = ajv.getSchema(media.schema.$ref.replace("#/components/schemas/", "urn:velaflows:schemas#/$defs/"));
          if (!check(media.example)) schemaErrors.push("example of " + name + ": " + ajv.errorsText(check.errors));
        } catch (error) {
          schemaErrors.push("checking the example of " + name + ": " + error.message);
        }
      }
    }
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? [], schemaErrors }));
  `;
  return new Promise((done, fail) => {
    const child = execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: resolve(__dirname, "../.."), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout) as ValidationOutcome)),
    );
    child.stdin!.end(JSON.stringify(doc));
  });
}

describe("buildOpenApiDocument over the Tags routes", () => {
  test("is a valid OpenAPI 3.1 document, and every schema in it is valid JSON Schema 2020-12", async () => {
    const outcome = await validateOpenApi(document);
    expect(outcome).toEqual({ valid: true, errors: [], schemaErrors: [] });
  });

  test("the validation catches a broken document (so the test above can fail)", async () => {
    const broken = structuredClone(document) as unknown as Record<string, any>;
    broken.paths["/api/v1/tags/{id}"].get.parameters[0].required = false; // a path parameter must be required
    broken.components.schemas["velaflows.tags.v1.Tag"].properties.name.minLength = -1;
    broken.components.schemas["velaflows.tags.v1.EntityRef"].properties.entityId.pattern = "(";
    const outcome = await validateOpenApi(broken as OpenApiDocument);
    expect(outcome.valid).toBe(false);
    expect(outcome.errors).toContainEqual(expect.objectContaining({ instancePath: "/paths/~1api~1v1~1tags~1{id}/get/parameters/0/required" }));
    expect(outcome.schemaErrors).toEqual(
      expect.arrayContaining([
        "components.schemas.velaflows.tags.v1.Tag: data/properties/name/minLength must be >= 0",
        expect.stringMatching(/^compiling velaflows\.tags\.v1\.EntityRef: Invalid regular expression/),
      ]),
    );
  });

  test("every $ref points into the document", () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(() => deref({ $ref: ref.slice(8, -1) })).not.toThrow();
  });

  test("documents one operation per binding, with unique operation ids, under the service's tag", () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as OperationObject).operationId}`),
    );
    expect(operations).toEqual([
      "GET /api/v1/tags TagsService_ListTags",
      "POST /api/v1/tags TagsService_CreateTag",
      "POST /api/v1/tags/bulk-attach TagsService_BulkAttachTags",
      "POST /api/v1/tags/bulk-detach TagsService_BulkDetachTags",
      "POST /api/v1/tags/entities/batch-get TagsService_BatchGetEntityTags",
      "GET /api/v1/tags/entities/{entity.entityType}/{entity.entityId} TagsService_ListEntityTags",
      "PUT /api/v1/tags/entities/{entity.entityType}/{entity.entityId} TagsService_SetEntityTags",
      "GET /api/v1/tags/{id} TagsService_GetTag",
      "DELETE /api/v1/tags/{id} TagsService_DeleteTag",
      "PATCH /api/v1/tags/{id} TagsService_UpdateTag",
      "GET /api/v1/tags/{id}/usage TagsService_GetTagUsage",
      "POST /api/v1/tags/{sourceId}/merge TagsService_MergeTags",
      "GET /api/v1/tags/{tagId}/entities TagsService_ListTagEntities",
      "POST /api/v1/tags/{tagId}/entities TagsService_AttachTag",
      "DELETE /api/v1/tags/{tagId}/entities/{entity.entityType}/{entity.entityId} TagsService_DetachTag",
      "GET /api/v1/tags:batchGet TagsService_BatchGetTags",
    ]);
    expect(document.tags).toEqual([
      {
        name: "Tags",
        description: expect.stringContaining("Workspace tags and their attachment to any entity"),
        "x-velaflows-service": "velaflows.tags.v1.TagsService",
      },
    ]);
    for (const item of Object.values(document.paths)) for (const op of Object.values(item)) expect((op as OperationObject).tags).toEqual(["Tags"]);
  });

  test("takes the summary and description from the method's proto comment", () => {
    expect(operation("post", "/api/v1/tags")).toMatchObject({
      summary: "Creates a tag",
      description: "Creates a tag. Names are unique per workspace, ignoring case.",
    });
    expect(operation("get", "/api/v1/tags/{id}").summary).toBe("Returns one tag with its usage count");
  });

  test("POST /api/v1/tags: 201 with data.tag, the Tag's rules and behaviours, the workspace and idempotency headers", () => {
    const create = operation("post", "/api/v1/tags");
    expect(Object.keys(create.responses)).toEqual(["201", "400", "401", "403", "404", "409", "422", "429", "500", "503", "504"]);
    const data = dataSchema(create, "201");
    expect(data).toEqual({ $ref: "#/components/schemas/velaflows.tags.v1.CreateTagResponse" });
    expect(deref<SchemaObject>(data as ReferenceObject).properties!.tag).toEqual({ $ref: TAG_REF });

    const tag = schemaOf("velaflows.tags.v1.Tag");
    expect(tag.properties!._id).toEqual({ type: "string", readOnly: true });
    expect(tag.properties!.name).toEqual({
      type: "string",
      minLength: 1,
      maxLength: 100,
      description: "Unique per workspace, ignoring case; 1 to 100 characters.",
    });
    expect(tag.properties!.color).toMatchObject({ type: "string", pattern: "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$" });
    expect(tag.properties!.entityTypes).toEqual({
      type: "array",
      items: { type: "string", enum: ENTITY_TYPES },
      maxItems: 20,
      description: "The entity types this tag applies to; empty means every type.",
    });
    expect(tag.properties!.usageCount).toMatchObject({ type: "integer", format: "int32", readOnly: true });
    expect(tag.properties!.createdAt).toMatchObject({ type: "string", format: "date-time", readOnly: true });
    expect(tag.required).toBeUndefined();

    expect(create.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/velaflows.tags.v1.CreateTagRequest" } } },
    });
    const request = schemaOf("velaflows.tags.v1.CreateTagRequest");
    expect(request.required).toEqual(["name"]);
    expect(request.properties!.name).toEqual({ type: "string", minLength: 1, maxLength: 100 });
    expect(request.properties!.entityTypes!.items!.enum).toEqual(ENTITY_TYPES);

    expect(create.parameters).toEqual([
      expect.objectContaining({ name: "x-workspace-id", in: "header", required: true, schema: { type: "string", pattern: "^[0-9a-f]{24}$" } }),
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    ]);
    expect(create["x-velaflows-access"]).toBe("tags:write");
    expect(create["x-velaflows-rate-limit"]).toBe("general");
    expect(create["x-velaflows-grpc-method"]).toBe("/velaflows.tags.v1.TagsService/CreateTag");
    expect(create.security).toBeUndefined(); // the document-wide bearer requirement applies
    const success = create.responses["201"] as ResponseObject;
    expect(Object.keys(success.headers!)).toEqual(["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Idempotent-Replayed"]);
  });

  test("PATCH /api/v1/tags/{id}: the body is the Tag, the id a path parameter, update_mask a query parameter", () => {
    const update = operation("patch", "/api/v1/tags/{id}");
    expect(bodySchema(update)).toMatchObject({ $ref: TAG_REF });
    expect(update.requestBody!.required).toBe(true);
    expect(parameters(update, "path")).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string", minLength: 1, pattern: "^[0-9a-f]{24}$" } }]);
    expect(parameters(update, "query")).toEqual([
      expect.objectContaining({ name: "updateMask", in: "query", required: false, schema: expect.objectContaining({ type: "string" }) }),
    ]);
    expect(parameters(update, "header").map((p) => p.name)).toEqual(["x-workspace-id"]); // no Idempotency-Key: not a POST
    expect(dataSchema(update, "200")).toEqual({ $ref: "#/components/schemas/velaflows.tags.v1.UpdateTagResponse" });
  });

  test("DELETE /api/v1/tags/{tag_id}/entities/{entity.entity_type}/{entity.entity_id}: nested path variables by JSON path", () => {
    const detach = operation("delete", "/api/v1/tags/{tagId}/entities/{entity.entityType}/{entity.entityId}");
    expect(parameters(detach, "path")).toEqual([
      { name: "tagId", in: "path", required: true, schema: { type: "string", minLength: 1, pattern: "^[0-9a-f]{24}$" } },
      { name: "entity.entityType", in: "path", required: true, schema: { type: "string", minLength: 1, enum: ENTITY_TYPES } },
      { name: "entity.entityId", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 64 } },
    ]);
    expect(parameters(detach, "query")).toEqual([]);
    expect(detach.requestBody).toBeUndefined();
  });

  test("GET /api/v1/tags: every unbound field is a query parameter with its rules", () => {
    const list = operation("get", "/api/v1/tags");
    expect(parameters(list, "query")).toEqual([
      { name: "page", in: "query", required: false, schema: { type: "integer", format: "int32", minimum: 1 } },
      { name: "limit", in: "query", required: false, schema: { type: "integer", format: "int32", minimum: 1, maximum: 100 } },
      {
        name: "search",
        in: "query",
        required: false,
        description: "Matches names and descriptions containing the text, ignoring case.",
        schema: { type: "string", maxLength: 200 },
      },
      expect.objectContaining({ name: "sortBy", schema: { type: "string", enum: ["createdAt", "updatedAt", "name", "usageCount"] } }),
      expect.objectContaining({ name: "sortOrder", schema: { type: "string", enum: ["asc", "desc"] } }),
      expect.objectContaining({ name: "entityType", schema: { type: "string", enum: ENTITY_TYPES } }),
    ]);
    const data = deref<SchemaObject>(dataSchema(list, "200") as ReferenceObject);
    expect(data.properties).toEqual({
      items: { type: "array", items: { $ref: TAG_REF } },
      pagination: { $ref: "#/components/schemas/velaflows.common.v1.Pagination" },
    });
  });

  test("bodies: a field body, a '*' body without its path-bound fields, and required-ness from the rules", () => {
    const attach = operation("post", "/api/v1/tags/{tagId}/entities");
    expect(attach.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/velaflows.tags.v1.EntityRef" } } },
    });
    expect(Object.keys(attach.responses)[0]).toBe("201");

    // SetEntityTags binds entity.entity_type and entity.entity_id in the path: `entity` leaves the body.
    const set = operation("put", "/api/v1/tags/entities/{entity.entityType}/{entity.entityId}");
    expect(set.requestBody).toEqual({
      required: false,
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: {
              tagIds: {
                type: "array",
                items: { type: "string", pattern: "^[0-9a-f]{24}$" },
                maxItems: 100,
                description: "The complete set of tags the entity should carry; empty removes all.",
              },
            },
          },
        },
      },
    });

    // min_items: 1 makes the list required, and so the body.
    const bulk = operation("post", "/api/v1/tags/bulk-attach");
    expect(bulk.requestBody!.required).toBe(true);
    expect(schemaOf("velaflows.tags.v1.BulkAttachTagsRequest")).toMatchObject({
      required: ["tagIds", "entities"],
      properties: { tagIds: { minItems: 1, maxItems: 100 }, entities: { type: "array", items: { $ref: "#/components/schemas/velaflows.tags.v1.EntityRef" } } },
    });
    expect(bulk["x-velaflows-rate-limit"]).toBe("bulk");
    expect(schemaOf("velaflows.tags.v1.EntityRef").required).toEqual(["entityType", "entityId"]);
  });

  test("error responses: the shared envelopes, 404 resourceId, 422 details.errors, rate-limit headers and Retry-After", () => {
    const responses = document.components.responses;
    expect(operation("get", "/api/v1/tags/{id}").responses["404"]).toEqual({ $ref: "#/components/responses/NotFound" });
    const error = schemaOf("ErrorResponse");
    expect(error.properties!.success).toEqual({ type: "boolean", const: false });
    expect(error.properties!.error!.required).toEqual(["code", "message", "requestId"]);
    expect(error.properties!.error!.properties!.code!.enum).toEqual([...ERROR_CODES]);
    expect(error.properties!.error!.properties!.code!.enum).toEqual(
      expect.arrayContaining(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "VALIDATION_ERROR", "TOO_MANY_REQUESTS", "INTERNAL_ERROR"]),
    );
    expect(schemaOf("NotFoundErrorResponse").properties!.error!.properties!.details).toEqual({
      type: "object",
      properties: { resourceId: expect.objectContaining({ type: "string" }), missingIds: expect.objectContaining({ type: "array", items: { type: "string" } }) },
    });
    expect(schemaOf("ValidationErrorResponse").properties!.error!.properties!.details).toMatchObject({
      required: ["errors"],
      properties: { errors: { type: "array", items: { required: ["path", "message"] } } },
    });
    expect(responses.ValidationError!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/ValidationErrorResponse" });
    expect(Object.keys(responses.TooManyRequests!.headers!)).toEqual(["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"]);
    expect(Object.keys(responses.BadRequest!.headers!)).not.toContain("Retry-After");
    expect(document.components.headers["Retry-After"]).toEqual(expect.objectContaining({ schema: { type: "integer", minimum: 1 } }));
  });

  test("security: bearer for the document, none on public methods, whose workspace header is optional", () => {
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const route = tagsRoutes.find((r) => r.method.name === "GetTag")!;
    const publicDoc = buildOpenApiDocument([{ ...route, policy: { ...route.policy, access: "public" } }], OPTIONS);
    const op = publicDoc.paths["/api/v1/tags/{id}"]!.get!;
    expect(op.security).toEqual([]);
    expect(op["x-velaflows-access"]).toBe("public");
    expect(op.parameters.find((p) => p.name === "x-workspace-id")!.required).toBe(false);
  });

  test("additional bindings get their own operation with a suffixed operation id, verbs stay literal", () => {
    const route = tagsRoutes.find((r) => r.method.name === "GetTag")!;
    const extra: Route = { ...route, httpMethod: "POST", bindingIndex: 1, body: "*", template: { ...route.template, source: "/api/v1/tags/{id}:fetch" } };
    const doc = buildOpenApiDocument([route, extra], OPTIONS);
    expect(doc.paths["/api/v1/tags/{id}"]!.get!.operationId).toBe("TagsService_GetTag");
    expect(doc.paths["/api/v1/tags/{id}:fetch"]!.post!.operationId).toBe("TagsService_GetTag_1");
    // `body: "*"` without the path-bound id leaves nothing in the body.
    expect(doc.paths["/api/v1/tags/{id}:fetch"]!.post!.requestBody).toEqual({ required: false, content: { "application/json": { schema: { type: "object" } } } });
  });

  test("is deterministic: the same JSON whatever the order of the routes", () => {
    const shuffled = [...tagsRoutes].reverse();
    shuffled.push(shuffled.shift()!);
    expect(JSON.stringify(buildOpenApiDocument(shuffled, OPTIONS))).toBe(JSON.stringify(document));
    expect(Object.keys(document.components.schemas)).toEqual([...Object.keys(document.components.schemas)].sort());
  });

  test("refuses two bindings that document the same method and path", () => {
    const route = tagsRoutes.find((r) => r.method.name === "GetTag")!;
    expect(() => buildOpenApiDocument([route, { ...route, bindingIndex: 1 }], OPTIONS)).toThrow("Two bindings document GET /api/v1/tags/{id}");
  });

  test("info and servers come from the options", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toEqual({ title: "VelaFlows API", version: "1.0.0", description: "The VelaFlows REST API." });
    expect(document.servers).toEqual([{ url: "http://localhost:4000" }]);
  });
});

describe("buildOpenApiDocument over the gateway's whole route table", () => {
  // Every binding in the descriptor set, including the EverythingService fixture's shapes:
  // multi-segment and `**` variables, `:verb`s, additional bindings, response_body, public methods.
  const all = buildOpenApiDocument(buildRoutes(protoRegistry()), OPTIONS);

  test("validates too", async () => {
    expect(await validateOpenApi(all)).toEqual({ valid: true, errors: [], schemaErrors: [] });
  });

  test("downloads (google.api.HttpBody answers) are documented as their media type, not the envelope", () => {
    const exportDownload = all.paths["/api/v1/customers/exports/{id}/download"]!.get!.responses["200"] as ResponseObject;
    expect(exportDownload.content).toEqual({ "text/csv": { schema: { type: "string" } } });
    expect(Object.keys(exportDownload.headers!)).toContain("Content-Disposition");
    expect(Object.keys((all.paths["/api/v1/customers/imports/{id}/errors"]!.get!.responses["200"] as ResponseObject).content!)).toEqual(["text/csv"]);
    // Every download in the table (CRM's among them) documents bytes, not the envelope.
    const downloads = buildRoutes(protoRegistry()).filter((r) => r.httpBody);
    expect(downloads.length).toBeGreaterThanOrEqual(4);
    for (const route of downloads) {
      const path = Object.keys(all.paths).find((p) => all.paths[p]![route.httpMethod.toLowerCase() as "get"]?.operationId.endsWith(`_${route.method.name}`));
      const content = (all.paths[path!]![route.httpMethod.toLowerCase() as "get"]!.responses[String(route.policy.successStatus)] as ResponseObject).content!;
      expect(Object.keys(content).some((type) => type.includes("json"))).toBe(false);
    }
    // Without response_content_type: raw bytes of any kind.
    expect((all.paths["/api/v1/testing/raw"]!.get!.responses["200"] as ResponseObject).content).toEqual({
      "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
    });
    // Errors keep the shared envelopes.
    expect(all.paths["/api/v1/customers/exports/{id}/download"]!.get!.responses["404"]).toEqual({ $ref: "#/components/responses/NotFound" });
  });

  test("contains every route, with one operation id each", () => {
    const routes = buildRoutes(protoRegistry());
    const ids = Object.values(all.paths).flatMap((item) => Object.values(item).map((op) => (op as OperationObject).operationId));
    expect(ids).toHaveLength(routes.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(buildOpenApiDocument([...routes].reverse(), OPTIONS))).toBe(JSON.stringify(all));
  });
});

// Keeps the helper honest: it must read the same bindings the proto declares.
test("the local route helper reads every Tags method", () => {
  const methods = new Set<DescMethod>(tagsRoutes.map((r) => r.method));
  expect(methods.size).toBe(protoRegistry().getService("velaflows.tags.v1.TagsService")!.methods.length);
});
