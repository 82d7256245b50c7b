import { create, createFileRegistry, setExtension, type DescFile, type MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
  FileDescriptorProtoSchema,
  type FieldDescriptorProto,
  type FieldOptions,
} from "@bufbuild/protobuf/wkt";
import { field_behavior, FieldBehavior, file_google_api_field_behavior } from "@velaflows/proto/es/google/api/field_behavior_pb";
import { FieldFormat, FieldRulesSchema, file_velaflows_api_v1_annotations, rules } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import type { SchemaObject } from "./openapi-types";
import { createSchemaComponents } from "./schema-components";

// A test-only file, built in memory, with a field of every scalar and well-known kind, the options
// the generator reads, a recursive message, a nested message and enum, and comments.

/** The parts of a FieldDescriptorProto the rows set besides name, number and type. */
interface FieldExtra {
  typeName?: string;
  label?: Label;
  jsonName?: string;
  oneofIndex?: number;
  options?: FieldOptions;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function field(name: string, number: number, type: Type, extra: FieldExtra = {}): FieldDescriptorProto {
  return create(FieldDescriptorProtoSchema, { name, number, type, label: Label.OPTIONAL, jsonName: camel(name), ...extra });
}
const message = (name: string, number: number, typeName: string, extra: FieldExtra = {}) => field(name, number, Type.MESSAGE, { typeName, ...extra });
const repeated = { label: Label.REPEATED };

function options(set: (options: FieldOptions) => void): { options: FieldOptions } {
  const result = create(FieldOptionsSchema);
  set(result);
  return { options: result };
}
const withRules = (init: MessageInitShape<typeof FieldRulesSchema>) => options((o) => setExtension(o, rules, create(FieldRulesSchema, init)));
const withBehavior = (...behavior: FieldBehavior[]) => options((o) => setExtension(o, field_behavior, behavior));

const fields: FieldDescriptorProto[] = [
  field("double_value", 1, Type.DOUBLE),
  field("float_value", 2, Type.FLOAT),
  field("int32_value", 3, Type.INT32),
  field("int64_value", 4, Type.INT64),
  field("uint32_value", 5, Type.UINT32),
  field("uint64_value", 6, Type.UINT64),
  field("sint32_value", 7, Type.SINT32),
  field("sint64_value", 8, Type.SINT64),
  field("fixed32_value", 9, Type.FIXED32),
  field("fixed64_value", 10, Type.FIXED64),
  field("sfixed32_value", 11, Type.SFIXED32),
  field("sfixed64_value", 12, Type.SFIXED64),
  field("bool_value", 13, Type.BOOL),
  field("string_value", 14, Type.STRING),
  field("bytes_value", 15, Type.BYTES),
  field("mood", 16, Type.ENUM, { typeName: ".test.v1.Mood" }),
  message("node", 17, ".test.v1.Node"),
  field("labels", 18, Type.STRING, repeated),
  message("counters", 19, ".test.v1.Kitchen.CountersEntry", repeated),
  message("by_number", 20, ".test.v1.Kitchen.ByNumberEntry", repeated),
  message("at", 21, ".google.protobuf.Timestamp"),
  message("took", 22, ".google.protobuf.Duration"),
  message("mask", 23, ".google.protobuf.FieldMask"),
  message("meta", 24, ".google.protobuf.Struct"),
  message("any_json", 25, ".google.protobuf.Value"),
  message("list", 26, ".google.protobuf.ListValue"),
  message("nothing", 27, ".google.protobuf.Empty"),
  message("packed", 28, ".google.protobuf.Any"),
  message("wrapped_double", 29, ".google.protobuf.DoubleValue"),
  message("wrapped_float", 30, ".google.protobuf.FloatValue"),
  message("wrapped_int64", 31, ".google.protobuf.Int64Value"),
  message("wrapped_uint64", 32, ".google.protobuf.UInt64Value"),
  message("wrapped_int32", 33, ".google.protobuf.Int32Value"),
  message("wrapped_uint32", 34, ".google.protobuf.UInt32Value"),
  message("wrapped_bool", 35, ".google.protobuf.BoolValue"),
  message("wrapped_string", 36, ".google.protobuf.StringValue"),
  message("wrapped_bytes", 37, ".google.protobuf.BytesValue"),
  field("null_value", 38, Type.ENUM, { typeName: ".google.protobuf.NullValue" }),
  field("id", 39, Type.STRING, { jsonName: "_id", ...withBehavior(FieldBehavior.OUTPUT_ONLY) }),
  field("secret", 40, Type.STRING, withBehavior(FieldBehavior.INPUT_ONLY)),
  field("email", 41, Type.STRING, withRules({ required: true, format: FieldFormat.EMAIL })),
  field("website", 42, Type.STRING, withRules({ format: FieldFormat.URL })),
  field("phone", 43, Type.STRING, withRules({ format: FieldFormat.E164 })),
  field("owner_id", 44, Type.STRING, withRules({ format: FieldFormat.OBJECT_ID })),
  field("color", 45, Type.STRING, withRules({ format: FieldFormat.HEX_COLOR })),
  field("code", 46, Type.STRING, withRules({ format: FieldFormat.OBJECT_ID, pattern: "[a-f]+" })),
  field("kind", 47, Type.STRING, withRules({ in: ["a", "b"] })),
  field("score", 48, Type.DOUBLE, withRules({ min: 0, max: 10 })),
  field("nickname", 49, Type.STRING, withRules({ minLen: 2, maxLen: 5 })),
  field("tags", 50, Type.STRING, { ...repeated, ...withRules({ minItems: 1, maxItems: 3, maxLen: 10 }) }),
  field("old", 51, Type.STRING, { options: create(FieldOptionsSchema, { deprecated: true }) }),
  message("required_node", 52, ".test.v1.Node", withBehavior(FieldBehavior.REQUIRED)),
  message("inner", 53, ".test.v1.Kitchen.Inner"),
  field("text", 54, Type.STRING, { oneofIndex: 0 }),
  field("number", 55, Type.INT32, { oneofIndex: 0 }),
  field("big", 56, Type.INT64, withRules({ min: 1 })),
  field("moods", 57, Type.ENUM, { typeName: ".test.v1.Mood", ...repeated }),
];

const mapEntry = (name: string, key: FieldDescriptorProto, value: FieldDescriptorProto) => ({ name, field: [key, value], options: { mapEntry: true } });

const file = create(FileDescriptorProtoSchema, {
  name: "test/v1/kitchen.proto",
  package: "test.v1",
  syntax: "proto3",
  dependency: [
    "google/protobuf/any.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
    "google/api/field_behavior.proto",
    "velaflows/api/v1/annotations.proto",
  ],
  messageType: [
    {
      name: "Kitchen",
      field: fields,
      oneofDecl: [{ name: "choice" }],
      nestedType: [
        mapEntry("CountersEntry", field("key", 1, Type.STRING), field("value", 2, Type.INT64)),
        mapEntry("ByNumberEntry", field("key", 1, Type.INT32), message("value", 2, ".test.v1.Node")),
        { name: "Inner", field: [field("note", 1, Type.STRING)] },
      ],
    },
    { name: "Node", field: [message("parent", 1, ".test.v1.Node"), message("children", 2, ".test.v1.Node", repeated)] },
  ],
  enumType: [{ name: "Mood", value: [{ name: "MOOD_UNSPECIFIED", number: 0 }, { name: "MOOD_HAPPY", number: 1 }] }],
  sourceCodeInfo: {
    location: [
      { path: [4, 0], span: [0, 0, 0], leadingComments: " A kitchen sink.\n" },
      { path: [4, 0, 2, 0], span: [0, 0, 0], leadingComments: " A double,\n over two lines.\n" },
      { path: [4, 0, 2, 12], span: [0, 0, 0], trailingComments: " Only a trailing comment.\n" },
      { path: [4, 0, 3, 2], span: [0, 0, 0], leadingComments: " A nested message.\n" },
      { path: [4, 0, 3, 2, 2, 0], span: [0, 0, 0], leadingComments: " A nested field.\n" },
    ],
  },
});

const imports: Record<string, DescFile> = Object.fromEntries(
  [
    file_google_protobuf_any,
    file_google_protobuf_duration,
    file_google_protobuf_empty,
    file_google_protobuf_field_mask,
    file_google_protobuf_struct,
    file_google_protobuf_timestamp,
    file_google_protobuf_wrappers,
    file_google_api_field_behavior,
    file_velaflows_api_v1_annotations,
  ].map((f) => [f.proto.name, f]),
);
const registry = createFileRegistry(file, (name) => imports[name]);

const components = createSchemaComponents();
const kitchenRef = components.message(registry.getMessage("test.v1.Kitchen")!);
const schemas = components.schemas();
const kitchen = schemas["test.v1.Kitchen"]!;

const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, type: [schema.type as string, "null"], description: "The wrapped value; null or absent when unset." });

describe("the ProtoJSON schema of each field kind", () => {
  const rows: [string, SchemaObject][] = [
    ["doubleValue", { type: "number", format: "double", description: "A double,\nover two lines." }],
    ["floatValue", { type: "number", format: "float" }],
    ["int32Value", { type: "integer", format: "int32" }],
    ["int64Value", { type: "string", format: "int64" }],
    ["uint32Value", { type: "integer", format: "uint32", minimum: 0 }],
    ["uint64Value", { type: "string", format: "uint64" }],
    ["sint32Value", { type: "integer", format: "int32" }],
    ["sint64Value", { type: "string", format: "int64" }],
    ["fixed32Value", { type: "integer", format: "uint32", minimum: 0 }],
    ["fixed64Value", { type: "string", format: "uint64" }],
    ["sfixed32Value", { type: "integer", format: "int32" }],
    ["sfixed64Value", { type: "string", format: "int64" }],
    ["boolValue", { type: "boolean", description: "Only a trailing comment." }],
    ["stringValue", { type: "string" }],
    ["bytesValue", { type: "string", format: "byte", contentEncoding: "base64" }],
    ["mood", { type: "string", enum: ["MOOD_UNSPECIFIED", "MOOD_HAPPY"] }],
    ["moods", { type: "array", items: { type: "string", enum: ["MOOD_UNSPECIFIED", "MOOD_HAPPY"] } }],
    ["node", { $ref: "#/components/schemas/test.v1.Node" }],
    ["labels", { type: "array", items: { type: "string" } }],
    ["counters", { type: "object", additionalProperties: { type: "string", format: "int64" } }],
    ["byNumber", { type: "object", additionalProperties: { $ref: "#/components/schemas/test.v1.Node" }, propertyNames: { pattern: "^-?[0-9]+$" } }],
    ["at", { type: "string", format: "date-time", description: expect.any(String) }],
    ["took", { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$", description: expect.any(String) }],
    ["mask", { type: "string", description: expect.stringContaining("Comma-separated") }],
    ["meta", { type: "object", additionalProperties: true }],
    ["anyJson", { description: "Any JSON value." }],
    ["list", { type: "array", items: {} }],
    ["nothing", { type: "object" }],
    ["packed", { type: "object", required: ["@type"], properties: { "@type": expect.objectContaining({ type: "string" }) }, additionalProperties: true }],
    ["wrappedDouble", nullable({ type: "number", format: "double" })],
    ["wrappedFloat", nullable({ type: "number", format: "float" })],
    ["wrappedInt64", nullable({ type: "string", format: "int64" })],
    ["wrappedUint64", nullable({ type: "string", format: "uint64" })],
    ["wrappedInt32", nullable({ type: "integer", format: "int32" })],
    ["wrappedUint32", nullable({ type: "integer", format: "uint32", minimum: 0 })],
    ["wrappedBool", nullable({ type: "boolean" })],
    ["wrappedString", nullable({ type: "string" })],
    ["wrappedBytes", nullable({ type: "string", format: "byte", contentEncoding: "base64" })],
    ["nullValue", { type: "null" }],
    ["_id", { type: "string", readOnly: true }],
    ["secret", { type: "string", writeOnly: true }],
    ["email", { type: "string", minLength: 1, format: "email" }],
    ["website", { type: "string", format: "uri" }],
    ["phone", { type: "string", pattern: "^\\+[1-9][0-9]{7,14}$" }],
    ["ownerId", { type: "string", pattern: "^[0-9a-f]{24}$" }],
    ["color", { type: "string", pattern: "^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$" }],
    ["code", { type: "string", pattern: "^[0-9a-f]{24}$", allOf: [{ pattern: "^(?:[a-f]+)$" }] }],
    ["kind", { type: "string", enum: ["a", "b"] }],
    ["score", { type: "number", format: "double", minimum: 0, maximum: 10 }],
    ["nickname", { type: "string", minLength: 2, maxLength: 5 }],
    ["tags", { type: "array", items: { type: "string", maxLength: 10 }, minItems: 1, maxItems: 3 }],
    ["old", { type: "string", deprecated: true }],
    ["requiredNode", { $ref: "#/components/schemas/test.v1.Node" }],
    ["inner", { $ref: "#/components/schemas/test.v1.Kitchen.Inner" }],
    ["text", { type: "string" }],
    ["number", { type: "integer", format: "int32" }],
    ["big", { type: "string", format: "int64", minimum: 1 }],
  ];

  test("the table covers every field", () => {
    expect(rows.map(([name]) => name).sort()).toEqual(Object.keys(kitchen.properties!).sort());
  });

  test.each(rows)("%s", (name, expected) => {
    expect(kitchen.properties![name]).toEqual(expected);
  });
});

describe("message components", () => {
  test("a message value is a $ref to its component", () => {
    expect(kitchenRef).toEqual({ $ref: "#/components/schemas/test.v1.Kitchen" });
  });

  test("every reachable message is a component named by its full name; well-known types stay inline", () => {
    expect(Object.keys(schemas)).toEqual(["test.v1.Kitchen", "test.v1.Kitchen.Inner", "test.v1.Node"]);
  });

  test("recursive messages refer to themselves", () => {
    expect(schemas["test.v1.Node"]).toEqual({
      type: "object",
      properties: {
        parent: { $ref: "#/components/schemas/test.v1.Node" },
        children: { type: "array", items: { $ref: "#/components/schemas/test.v1.Node" } },
      },
    });
  });

  test("required fields: rules.required, field_behavior REQUIRED, and lists with min_items", () => {
    expect(kitchen.required).toEqual(["email", "tags", "requiredNode"]);
  });

  test("descriptions: the message comment, its oneofs, nested messages and their fields", () => {
    expect(kitchen.description).toBe("A kitchen sink.\n\nAt most one of `text`, `number` is set.");
    expect(schemas["test.v1.Kitchen.Inner"]).toEqual({
      type: "object",
      description: "A nested message.",
      properties: { note: { type: "string", description: "A nested field." } },
    });
  });
});
