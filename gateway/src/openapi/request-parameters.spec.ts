import { create, createFileRegistry, setExtension, type DescFile } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  file_google_protobuf_timestamp,
  FileDescriptorProtoSchema,
  type FieldDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { field_behavior, FieldBehavior, file_google_api_field_behavior } from "@velaflows/proto/es/google/api/field_behavior_pb";
import { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { Route } from "../routing/route";
import { openApiPath } from "./openapi-path";
import { requestParameters } from "./request-parameters";
import { createSchemaComponents } from "./schema-components";

// A request message with every kind of field the query-string walk must decide on.
function field(name: string, number: number, type: Type, extra: { typeName?: string; repeated?: boolean; behavior?: FieldBehavior } = {}): FieldDescriptorProto {
  const options = create(FieldOptionsSchema);
  if (extra.behavior !== undefined) setExtension(options, field_behavior, [extra.behavior]);
  return create(FieldDescriptorProtoSchema, {
    name,
    number,
    type,
    typeName: extra.typeName,
    label: extra.repeated ? Label.REPEATED : Label.OPTIONAL,
    jsonName: name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    options: extra.behavior !== undefined ? options : undefined,
  });
}

const file = create(FileDescriptorProtoSchema, {
  name: "probe/v1/probe.proto",
  package: "probe.v1",
  syntax: "proto3",
  dependency: ["google/protobuf/timestamp.proto", "google/api/field_behavior.proto"],
  messageType: [
    {
      name: "Query",
      field: [
        field("id", 1, Type.STRING),
        field("filter", 2, Type.MESSAGE, { typeName: ".probe.v1.Filter" }),
        field("filters", 3, Type.MESSAGE, { typeName: ".probe.v1.Filter", repeated: true }),
        field("labels", 4, Type.MESSAGE, { typeName: ".probe.v1.Query.LabelsEntry", repeated: true }),
        field("computed", 5, Type.STRING, { behavior: FieldBehavior.OUTPUT_ONLY }),
        field("tag_ids", 6, Type.STRING, { repeated: true }),
        field("since", 7, Type.MESSAGE, { typeName: ".google.protobuf.Timestamp" }),
        field("owner", 8, Type.MESSAGE, { typeName: ".probe.v1.Owner", behavior: FieldBehavior.REQUIRED }),
        field("payload", 9, Type.MESSAGE, { typeName: ".probe.v1.Owner" }),
      ],
      nestedType: [{ name: "LabelsEntry", field: [field("key", 1, Type.STRING), field("value", 2, Type.STRING)], options: { mapEntry: true } }],
    },
    { name: "Filter", field: [field("min", 1, Type.INT32), field("inner", 2, Type.MESSAGE, { typeName: ".probe.v1.Filter" })] },
    {
      name: "Owner",
      field: [field("kind", 1, Type.STRING, { behavior: FieldBehavior.REQUIRED }), field("note", 2, Type.STRING)],
    },
  ],
  service: [{ name: "ProbeService", method: [{ name: "Get", inputType: ".probe.v1.Query", outputType: ".probe.v1.Query" }] }],
});
const imports: Record<string, DescFile> = {
  "google/protobuf/timestamp.proto": file_google_protobuf_timestamp,
  "google/api/field_behavior.proto": file_google_api_field_behavior,
};
const method = createFileRegistry(file, (name) => imports[name]).getService("probe.v1.ProbeService")!.methods[0]!;

function route(httpMethod: string, source: string, body: string, access = "probe:read"): Route {
  return {
    httpMethod,
    template: { source, segments: [], variables: [] },
    body,
    responseBody: "",
    httpBody: false,
    method,
    policy: { access, rateLimit: RateLimitClass.GENERAL, successStatus: 200, sensitiveResponse: false, maxRequestBytes: 0 },
    upstream: "probe",
    bindingIndex: 0,
  };
}

function parametersOf(r: Route) {
  return requestParameters(r, openApiPath(r.template, method.input), createSchemaComponents());
}

describe("requestParameters", () => {
  test("query: leaves by JSON path; not repeated messages, maps, OUTPUT_ONLY fields, or recursion past one level", () => {
    const names = parametersOf(route("GET", "/v1/probes/{id}", "")).map((p) => `${p.in} ${p.name}${p.required ? " (required)" : ""}`);
    expect(names).toEqual([
      "path id (required)",
      "query filter.min",
      "query tagIds",
      "query since",
      "query owner.kind (required)", // owner is required, and so is its kind
      "query owner.note",
      "query payload.kind", // required only when payload is sent
      "query payload.note",
      "header x-workspace-id (required)",
    ]);
  });

  test("query: a repeated scalar is an exploded form array; a well-known type is one value", () => {
    const parameters = parametersOf(route("GET", "/v1/probes/{id}", ""));
    expect(parameters.find((p) => p.name === "tagIds")).toEqual({
      name: "tagIds",
      in: "query",
      required: false,
      style: "form",
      explode: true,
      schema: { type: "array", items: { type: "string" } },
    });
    expect(parameters.find((p) => p.name === "since")).toMatchObject({ schema: { type: "string", format: "date-time" } });
  });

  test("query: nothing the path or a body field binds", () => {
    const names = parametersOf(route("POST", "/v1/probes/{id}/{owner.kind}", "payload"))
      .filter((p) => p.in === "query")
      .map((p) => p.name);
    expect(names).toEqual(["filter.min", "tagIds", "since", "owner.note"]);
  });

  test("no query parameters with body '*'; Idempotency-Key on POST only", () => {
    const parameters = parametersOf(route("POST", "/v1/probes", "*"));
    expect(parameters.map((p) => `${p.in} ${p.name}`)).toEqual(["header x-workspace-id", "header Idempotency-Key"]);
    expect(parameters[1]).toMatchObject({ required: false, schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" } });
  });

  test("public methods do not require the workspace header", () => {
    const header = parametersOf(route("GET", "/v1/probes", "", "public")).find((p) => p.name === "x-workspace-id")!;
    expect(header.required).toBe(false);
  });

  test("user methods (the caller's own account) have no workspace header", () => {
    expect(parametersOf(route("POST", "/v1/probes", "*", "user")).map((p) => `${p.in} ${p.name}`)).toEqual(["header Idempotency-Key"]);
  });
});
