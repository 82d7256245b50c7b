import { ScalarType, type DescEnum } from "@bufbuild/protobuf";
import type { SchemaObject } from "./openapi-types";

/**
 * The JSON Schema of a scalar field's ProtoJSON value. 64-bit integers are strings (ProtoJSON
 * writes them as strings; parsers also accept numbers), `bytes` is standard base64.
 */
export function scalarSchema(scalar: ScalarType): SchemaObject {
  switch (scalar) {
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", format: "uint32", minimum: 0 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: "string", format: "int64" };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", format: "uint64" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BYTES:
      return { type: "string", format: "byte", contentEncoding: "base64" };
  }
}

/** An enum's ProtoJSON value: its value names (`google.protobuf.NullValue` is JSON `null`). */
export function enumSchema(desc: DescEnum): SchemaObject {
  if (desc.typeName === "google.protobuf.NullValue") return { type: "null" };
  return { type: "string", enum: desc.values.map((v) => v.name) };
}

const wrapper = (schema: SchemaObject): SchemaObject => ({
  ...schema,
  type: [schema.type as string, "null"],
  description: "The wrapped value; null or absent when unset.",
});

/**
 * The well-known types with a custom ProtoJSON form, written inline where they are used (they are
 * strings, numbers or free-form JSON, not objects with fields).
 */
const WELL_KNOWN: Record<string, SchemaObject> = {
  "google.protobuf.Timestamp": {
    type: "string",
    format: "date-time",
    description: "An RFC 3339 timestamp in UTC, e.g. 2026-03-24T14:30:00.000Z.",
  },
  "google.protobuf.Duration": {
    type: "string",
    pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$",
    description: 'A duration in seconds with up to 9 fractional digits, e.g. "1.5s".',
  },
  "google.protobuf.FieldMask": {
    type: "string",
    description: 'Comma-separated lowerCamel field paths, e.g. "name,entityTypes".',
  },
  "google.protobuf.Struct": { type: "object", additionalProperties: true },
  "google.protobuf.Value": { description: "Any JSON value." },
  "google.protobuf.ListValue": { type: "array", items: {} },
  "google.protobuf.Empty": { type: "object" },
  "google.protobuf.Any": {
    type: "object",
    required: ["@type"],
    properties: { "@type": { type: "string", description: 'The type URL, e.g. "type.googleapis.com/google.rpc.ErrorInfo".' } },
    additionalProperties: true,
  },
  "google.protobuf.DoubleValue": wrapper(scalarSchema(ScalarType.DOUBLE)),
  "google.protobuf.FloatValue": wrapper(scalarSchema(ScalarType.FLOAT)),
  "google.protobuf.Int64Value": wrapper(scalarSchema(ScalarType.INT64)),
  "google.protobuf.UInt64Value": wrapper(scalarSchema(ScalarType.UINT64)),
  "google.protobuf.Int32Value": wrapper(scalarSchema(ScalarType.INT32)),
  "google.protobuf.UInt32Value": wrapper(scalarSchema(ScalarType.UINT32)),
  "google.protobuf.BoolValue": wrapper(scalarSchema(ScalarType.BOOL)),
  "google.protobuf.StringValue": wrapper(scalarSchema(ScalarType.STRING)),
  "google.protobuf.BytesValue": wrapper(scalarSchema(ScalarType.BYTES)),
};

/**
 * The inline schema of a well-known type with a custom JSON form, or undefined for any other
 * message (those become components). Returns a fresh copy the caller may extend.
 */
export function wellKnownSchema(typeName: string): SchemaObject | undefined {
  const schema = WELL_KNOWN[typeName];
  return schema && structuredClone(schema);
}
