import { create, fromBinary, fromJson, ScalarType, toBinary, toJson, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { FeatureSet_FieldPresence, isWrapperDesc, StructSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { protoRegistry } from "@velaflows/kit";
import { createBinaryToJson, isoDateTime, jsonString } from "./binary-to-json";

const registry = protoRegistry();
const reflected: string[] = [];
const render = createBinaryToJson(registry, { onReflected: (typeName) => reflected.push(typeName) });
const messages = [...registry].filter((type): type is DescMessage => type.kind === "message");

// What the gateway wrote before: protobuf-es's reflection, the reference every answer must equal.
function reference(schema: DescMessage, bytes: Uint8Array): { json: string } | { error: true } {
  try {
    return { json: JSON.stringify(toJson(schema, fromBinary(schema, bytes), { alwaysEmitImplicit: true, registry })) };
  } catch {
    return { error: true };
  }
}

function expectSameAsReflection(schema: DescMessage, bytes: Uint8Array): void {
  const expected = reference(schema, bytes);
  if ("error" in expected) {
    expect(() => render(schema, bytes)).toThrow();
    return;
  }
  expect({ type: schema.typeName, json: render(schema, bytes) }).toEqual({ type: schema.typeName, json: expected.json });
}

// A small seeded generator, so a failure names the seed that reproduces it.
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Generator = ReturnType<typeof generator>;

const STRINGS = ["", "a", 'quote " and \\ backslash', "tab\tnew\nline", "\u0000\u001f control", "é ü ß", "日本語", "emoji 🎉", "\u2028\u2029", "<script>"];
const FLOATS = [0, -0, 1, -1, 0.1, 1.5, -2.25, 1e21, 1e-7, 123456.789, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity];
const INT32S = [0, 1, -1, 127, 128, 300, 2147483647, -2147483648, 42];
const INT64S = [0n, 1n, -1n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, 300n];
const UINT64S = [0n, 1n, 18446744073709551615n, 9007199254740993n];

function randomScalar(g: Generator, scalar: ScalarType): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return g.pick(STRINGS) + (g.int(2) ? String(g.int(1000)) : "");
    case ScalarType.BYTES:
      return Uint8Array.from({ length: g.int(8) }, () => g.int(256));
    case ScalarType.BOOL:
      return g.int(2) === 1;
    case ScalarType.DOUBLE:
      return g.pick(FLOATS);
    case ScalarType.FLOAT:
      return Math.fround(g.pick(FLOATS));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return g.pick(INT32S);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return g.pick([0, 1, 300, 4294967295]);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return g.pick(UINT64S);
    default:
      return g.pick(INT64S);
  }
}

function randomMessage(g: Generator, desc: DescMessage, depth: number): Record<string, unknown> {
  switch (desc.typeName) {
    case "google.protobuf.Timestamp":
      return { seconds: BigInt(g.pick([0, 1, 1764320000, -62135596800, 253402300799])), nanos: g.pick([0, 1, 120_000_000, 123_456_000, 999_999_999]) };
    case "google.protobuf.Duration": {
      const seconds = g.pick([0, 1, -3, 315576000000]);
      return { seconds: BigInt(seconds), nanos: seconds < 0 ? -g.pick([0, 5_000_000]) : g.pick([0, 1, 500_000_000]) };
    }
    case "google.protobuf.Struct":
      return fromJson(StructSchema, { name: "x", count: 3, nested: { list: [1, "two", null, true] } });
    case "google.protobuf.Any":
      return g.int(2) ? {} : { typeUrl: `type.googleapis.com/${TimestampSchema.typeName}`, value: toBinary(TimestampSchema, create(TimestampSchema, { seconds: 5n })) };
  }
  const init: Record<string, unknown> = {};
  const oneofsDone = new Set<string>();
  for (const field of desc.fields) {
    if (field.oneof) {
      if (oneofsDone.has(field.oneof.name)) continue;
      oneofsDone.add(field.oneof.name);
      const member = g.int(field.oneof.fields.length + 1);
      if (member === field.oneof.fields.length) continue;
      const chosen = field.oneof.fields[member]!;
      const value = randomFieldValue(g, chosen, depth);
      if (value !== undefined) init[field.oneof.localName] = { case: chosen.localName, value };
      continue;
    }
    if (g.int(5) === 0 && field.presence !== FeatureSet_FieldPresence.LEGACY_REQUIRED) continue; // unset
    const value = randomFieldValue(g, field, depth);
    if (value !== undefined) init[field.localName] = value;
  }
  return init;
}

function randomFieldValue(g: Generator, field: DescField, depth: number): unknown {
  const single = (kind: "scalar" | "enum" | "message"): unknown => {
    if (kind === "scalar") return randomScalar(g, field.scalar!);
    if (kind === "enum") return g.int(6) === 0 && field.enum!.open ? 99 : g.pick(field.enum!.values).number;
    // protobuf-es holds a singular wrapper field as its plain value.
    if (field.fieldKind === "message" && isWrapperDesc(field.message)) return randomScalar(g, field.message.fields[0]!.scalar!);
    if (depth >= 3) return undefined;
    return create(field.message!, randomMessage(g, field.message!, depth + 1) as never);
  };
  switch (field.fieldKind) {
    case "scalar":
    case "enum":
    case "message":
      return single(field.fieldKind);
    case "list":
      return Array.from({ length: g.int(4) }, () => single(field.listKind)).filter((v) => v !== undefined);
    case "map": {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < g.int(4); i++) {
        const key = field.mapKey === ScalarType.STRING ? g.pick(STRINGS) : field.mapKey === ScalarType.BOOL ? String(g.int(2) === 1) : String(g.pick(INT32S));
        const value = single(field.mapKind);
        if (value !== undefined) record[key] = value;
      }
      return record;
    }
  }
}

// Field 99999: never declared, so every type must skip it.
function unknownFieldBytes(): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(99999, WireType.Varint).uint32(7);
  writer.tag(99998, WireType.LengthDelimited).string("unknown");
  return writer.finish();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe("binary to JSON rendering equals protobuf-es's toJson of fromBinary", () => {
  test.each(messages.map((desc) => [desc.typeName, desc] as const))("%s", (_name, desc) => {
    for (let seed = 1; seed <= 25; seed++) {
      const g = generator(seed * 7919 + desc.typeName.length);
      const one = toBinary(desc, create(desc, randomMessage(g, desc, 0) as never));
      const two = toBinary(desc, create(desc, randomMessage(g, desc, 0) as never));
      reflected.length = 0;
      expectSameAsReflection(desc, one);
      // Our own messages, encoded once and valid, never need protobuf-es (the descriptor types are proto2).
      if (desc.file.name.startsWith("velaflows/") && "json" in reference(desc, one)) expect(reflected).toEqual([]);
      // Two encodings one after the other: the wire's merge rules (last scalar wins, lists append,
      // oneof members replace each other, messages merge).
      expectSameAsReflection(desc, concat(one, two));
      expectSameAsReflection(desc, concat(unknownFieldBytes(), one, unknownFieldBytes()));
    }
  });
});

describe("binary to JSON rendering, chosen cases", () => {
  const echo = registry.getMessage("velaflows.testing.v1.EchoRequest")!;
  const tag = registry.getMessage("velaflows.tags.v1.ListTagsResponse")!;

  test("an empty message writes every implicit field's zero value and leaves explicit ones out", () => {
    const json = JSON.parse(render(echo, new Uint8Array(0))) as Record<string, unknown>;
    expect(json).toMatchObject({ int32Value: 0, int64Value: "0", boolValue: false, stringValue: "", repeatedString: [], labels: {}, _id: "" });
    expect(json).not.toHaveProperty("optionalString");
    expect(json).not.toHaveProperty("timestampValue");
    expectSameAsReflection(echo, new Uint8Array(0));
  });

  test("a list response of the Tags service, as the gateway renders it on every list call", () => {
    const bytes = toBinary(
      tag,
      create(tag, {
        items: [1, 2, 3].map((i) => ({ id: `id${i}`, name: `Tag "${i}"`, entityTypes: ["customer"], usageCount: i, createdAt: { seconds: 1764320000n + BigInt(i), nanos: i * 1_000_000 } })),
        pagination: { page: 1, limit: 20, total: 3, totalPages: 1 },
      } as never),
    );
    expectSameAsReflection(tag, bytes);
    expect(JSON.parse(render(tag, bytes)).items[1]).toMatchObject({ _id: "id2", name: 'Tag "2"', createdAt: "2025-11-28T08:53:22.002Z" });
  });

  test("timestamps are written as Date's toISOString writes them, from year 1 to 9999", () => {
    const g = generator(2026);
    const min = -62135596800;
    const max = 253402300799;
    const samples = [min, max, 0, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 4107542400 /* 2100-03-01 */];
    for (let i = 0; i < 20_000; i++) samples.push(min + Math.floor(g.next() * (max - min + 1)));
    const wrong = samples.filter((seconds) => isoDateTime(seconds) !== new Date(seconds * 1000).toISOString().slice(0, 19));
    expect(wrong).toEqual([]);
  });

  test("timestamp seconds on both sides of 2^28 and 2^32 (varint lengths) and before 1970 are read exactly", () => {
    const timestamp = registry.getMessage("google.protobuf.Timestamp")!;
    for (const seconds of [2n ** 28n - 1n, 2n ** 28n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 35n, -1n, -(2n ** 32n), 1764320000n]) {
      expectSameAsReflection(timestamp, toBinary(timestamp, create(timestamp, { seconds, nanos: 5 })));
    }
  });

  test("strings are escaped as JSON.stringify escapes them", () => {
    for (const text of [...STRINGS, "\u007f", "\ud800 lone", "lone \udfff", "/", "plain ascii 0123"]) expect(jsonString(text)).toBe(JSON.stringify(text));
  });

  test("malformed bytes fail as protobuf-es fails", () => {
    expect(() => render(echo, Uint8Array.from([0x0a, 0x05, 0x61]))).toThrow(); // a string longer than the buffer
    expect(() => render(echo, Uint8Array.from([0x07]))).toThrow(); // field 0
  });

  test("a timestamp out of range fails as protobuf-es fails", () => {
    const timestamp = registry.getMessage("google.protobuf.Timestamp")!;
    const bytes = toBinary(timestamp, create(timestamp, { seconds: 253402300800n }));
    expectSameAsReflection(timestamp, bytes);
    expect(() => render(timestamp, bytes)).toThrow();
  });
});
