import { fromBinary, ScalarType, toJson, type DescEnum, type DescField, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { base64Encode, BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/**
 * Renders an upstream response's wire bytes straight to its proto3 JSON text: exactly the string
 * `JSON.stringify(toJson(schema, fromBinary(schema, bytes), { alwaysEmitImplicit: true, registry }))`
 * gives (fields by number, int64 as strings, enums by name, Timestamp/Duration/wrappers in their JSON
 * forms), in one pass, without the message and JSON objects in between. On list responses that pair
 * of passes was most of the gateway's own CPU time per request.
 *
 * What this renderer does not cover — repeated occurrences of a singular message (wire merging),
 * unexpected wire types, closed enums, groups, required fields, extended messages — makes it hand the
 * whole response to protobuf-es, whose answer (or error) stands. Any, Struct, Value, ListValue and
 * FieldMask values are always rendered by protobuf-es.
 */
export type BinaryToJson = (schema: DescMessage, bytes: Uint8Array) => string;

const JSON_WRITE = { alwaysEmitImplicit: true } as const;

// The wire types read per field, as constants: protobuf-es exports its enum through a getter.
const VARINT: WireType = WireType.Varint;
const LENGTH_DELIMITED: WireType = WireType.LengthDelimited;

// Field numbers below this are looked up in an array; above, in a map.
const DENSE_FIELD_NUMBERS = 256;

/** Thrown while rendering when the input needs protobuf-es: never escapes {@link createBinaryToJson}. */
class NeedsReflection extends Error {}

/** Renders the rest of one message from `reader` up to `end`. */
type RenderMessage = (reader: BinaryReader, end: number) => string;

/** Options of {@link createBinaryToJson}. */
export interface BinaryToJsonOptions {
  /** Told whenever a response is handed to protobuf-es instead (a type it does not cover, or a read it refused). */
  onReflected?: (typeName: string) => void;
}

export function createBinaryToJson(registry: FileRegistry, { onReflected }: BinaryToJsonOptions = {}): BinaryToJson {
  const options = { ...JSON_WRITE, registry };
  const extended = extendedTypeNames(registry);
  const renderers = new Map<string, RenderMessage | null>();

  const reflect = (schema: DescMessage, bytes: Uint8Array) => JSON.stringify(toJson(schema, fromBinary(schema, bytes), options));

  // null: the type (or one it contains) needs protobuf-es for every message.
  function rendererOf(desc: DescMessage): RenderMessage | null {
    const known = renderers.get(desc.typeName);
    if (known !== undefined) return known;
    // Registered before its fields compile, so recursive types find it; rendering starts only after.
    let compiled: RenderMessage | null = null;
    renderers.set(desc.typeName, (reader, end) => compiled!(reader, end));
    compiled = compileMessage(desc);
    renderers.set(desc.typeName, compiled);
    return compiled;
  }

  function compileMessage(desc: DescMessage): RenderMessage | null {
    if (extended.has(desc.typeName) || REFLECTED_WELL_KNOWN.has(desc.typeName)) return null;
    const wkt = compileWellKnown(desc);
    if (wkt !== undefined) return wkt;
    const fields = [...desc.fields].sort((a, b) => a.number - b.number);
    const plans: FieldPlan[] = [];
    for (const field of fields) {
      const plan = compileField(field, plans.length);
      if (!plan) return null;
      plans.push(plan);
    }
    // Plans by field number: an array for the usual small numbers, a map beyond.
    const byNumber = new Map(plans.map((plan) => [plan.number, plan]));
    const denseLength = Math.min(DENSE_FIELD_NUMBERS, Math.max(0, ...plans.map((plan) => plan.number)) + 1);
    const dense: (FieldPlan | undefined)[] = Array.from({ length: denseLength }, (_, number) => byNumber.get(number));
    // Members of one oneof: setting one clears the others.
    for (const plan of plans) {
      if (plan.oneof !== undefined) plan.peers = plans.filter((p) => p.oneof === plan.oneof && p !== plan).map((p) => p.index);
    }

    return (reader, end) => {
      const slots: (string | string[] | Record<string, string> | undefined)[] = new Array(plans.length);
      while (reader.pos < end) {
        const tag = readTag(reader);
        const number = tag >>> 3;
        const wireType: WireType = tag & 7;
        const plan = number < denseLength ? dense[number] : byNumber.get(number);
        if (!plan) {
          reader.skip(wireType, number);
          continue;
        }
        plan.read(reader, wireType, slots);
        if (plan.peers) for (const peer of plan.peers) slots[peer] = undefined;
      }
      if (reader.pos !== end) throw new NeedsReflection("message overran its length");
      let json = "";
      for (const plan of plans) {
        const slot = slots[plan.index];
        const text = slot === undefined ? plan.absent : plan.finish(slot);
        if (text === undefined) continue;
        json += json.length === 0 ? plan.key + text : plan.nextKey + text;
      }
      return `{${json}}`;
    };
  }

  interface FieldPlan {
    number: number;
    index: number;
    oneof?: string;
    /** Slots of the other members of its oneof, which it clears. */
    peers?: number[];
    /** `"jsonName":` */
    key: string;
    /** `,"jsonName":` */
    nextKey: string;
    /** The text when the field never occurred: its zero value, `[]`, `{}`, or undefined to leave it out. */
    absent: string | undefined;
    read(reader: BinaryReader, wireType: WireType, slots: unknown[]): void;
    finish(slot: unknown): string;
  }

  function compileField(field: DescField, index: number): FieldPlan | null {
    // Groups (delimited encoding) are proto2 and editions only.
    if ("delimitedEncoding" in field && field.delimitedEncoding) return null;
    const key = `${JSON.stringify(field.jsonName)}:`;
    const base = { number: field.number, index, key, nextKey: `,${key}`, oneof: field.oneof?.name };
    switch (field.fieldKind) {
      case "scalar":
      case "enum": {
        if (field.fieldKind === "enum" && !field.enum.open) return null;
        const value = field.fieldKind === "scalar" ? scalarValue(field.scalar, field.utf8Validation) : enumValue(field.enum);
        const explicit = field.presence !== FeatureSet_FieldPresence.IMPLICIT;
        if (field.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) return null;
        return {
          ...base,
          absent: explicit ? undefined : value.zero,
          read(reader, wireType, slots) {
            if (wireType !== value.wireType) throw new NeedsReflection(`wire type ${wireType} for field ${field.number}`);
            slots[index] = value.read(reader);
          },
          finish: (slot) => slot as string,
        };
      }
      case "message": {
        const child = messageValue(field.message);
        if (!child) return null;
        return {
          ...base,
          absent: undefined,
          read(reader, wireType, slots) {
            // A second occurrence merges into the first on the wire: protobuf-es's business.
            if (wireType !== LENGTH_DELIMITED || slots[index] !== undefined) throw new NeedsReflection(`merge of field ${field.number}`);
            slots[index] = child(reader);
          },
          finish: (slot) => slot as string,
        };
      }
      case "list": {
        const item = field.listKind === "message" ? messageValue(field.message) : field.listKind === "enum" ? enumValue(field.enum) : scalarValue(field.scalar, field.utf8Validation);
        if (!item || (field.listKind === "enum" && !field.enum.open)) return null;
        const readItem = typeof item === "function" ? item : item.read;
        const itemWireType = typeof item === "function" ? WireType.LengthDelimited : item.wireType;
        const packable = itemWireType !== WireType.LengthDelimited;
        return {
          ...base,
          absent: "[]",
          read(reader, wireType, slots) {
            const items = (slots[index] ??= []) as string[];
            if (packable && wireType === LENGTH_DELIMITED) {
              const end = reader.uint32() + reader.pos;
              while (reader.pos < end) items.push(readItem(reader));
              if (reader.pos !== end) throw new NeedsReflection("packed field overran its length");
              return;
            }
            if (wireType !== itemWireType) throw new NeedsReflection(`wire type ${wireType} for field ${field.number}`);
            items.push(readItem(reader));
          },
          finish: (slot) => `[${(slot as string[]).join(",")}]`,
        };
      }
      case "map": {
        const mapKey = mapKeyValue(field.mapKey, field.utf8Validation);
        const value = field.mapKind === "message" ? messageValue(field.message) : field.mapKind === "enum" ? enumValue(field.enum) : scalarValue(field.scalar, field.utf8Validation);
        if (!value || (field.mapKind === "enum" && !field.enum.open)) return null;
        const readValue = typeof value === "function" ? value : value.read;
        const valueWireType = typeof value === "function" ? WireType.LengthDelimited : value.wireType;
        // A missing value is the zero value; for a message, its empty rendering, made when first needed
        // (the value type may still be compiling now).
        let messageZero: string | undefined;
        const valueZero = () => (typeof value === "function" ? (messageZero ??= emptyMessageText(field.message!)) : value.zero);
        return {
          ...base,
          absent: "{}",
          read(reader, wireType, slots) {
            if (wireType !== LENGTH_DELIMITED) throw new NeedsReflection(`wire type ${wireType} for map field ${field.number}`);
            const end = reader.uint32() + reader.pos;
            let entryKey = mapKey.zero;
            let entryValue: string | undefined;
            while (reader.pos < end) {
              const tag = readTag(reader);
              const number = tag >>> 3;
              const entryWireType: WireType = tag & 7;
              if (number === 1) {
                if (entryWireType !== mapKey.wireType) throw new NeedsReflection("map key wire type");
                entryKey = mapKey.read(reader);
              } else if (number === 2) {
                if (entryWireType !== valueWireType || (valueWireType === LENGTH_DELIMITED && typeof value === "function" && entryValue !== undefined)) {
                  throw new NeedsReflection("map value wire type or merge");
                }
                entryValue = readValue(reader);
              } else reader.skip(entryWireType, number);
            }
            if (reader.pos !== end) throw new NeedsReflection("map entry overran its length");
            // An object, as protobuf-es keeps a map: the same key order (integer-like keys first) and last-wins.
            const record = (slots[index] ??= Object.create(null)) as Record<string, string>;
            record[entryKey] = entryValue ?? valueZero();
          },
          finish(slot) {
            const record = slot as Record<string, string>;
            let json = "{";
            for (const entryKey of Object.keys(record)) json += `${json.length === 1 ? "" : ","}${JSON.stringify(entryKey)}:${record[entryKey]}`;
            return json + "}";
          },
        };
      }
    }
  }

  // A message-typed value: its rendering, read from a length-delimited field.
  function messageValue(desc: DescMessage): ((reader: BinaryReader) => string) | null {
    if (REFLECTED_WELL_KNOWN.has(desc.typeName)) return (reader) => reflect(desc, reader.bytes());
    if (rendererOf(desc) === null) return null;
    // Looked up on first use, when the (maybe recursive) type has finished compiling.
    let render: RenderMessage | null | undefined;
    return (reader) => {
      render ??= renderers.get(desc.typeName)!;
      if (render === null) throw new NeedsReflection(desc.typeName);
      const end = reader.uint32() + reader.pos;
      if (end > reader.len) throw new NeedsReflection("premature end");
      return render(reader, end);
    };
  }

  // The text of a message with no fields set: a map entry whose value is missing.
  function emptyMessageText(desc: DescMessage): string {
    const render = REFLECTED_WELL_KNOWN.has(desc.typeName) ? null : renderers.get(desc.typeName);
    return render ? render(new BinaryReader(new Uint8Array(0)), 0) : reflect(desc, new Uint8Array(0));
  }

  function compileWellKnown(desc: DescMessage): RenderMessage | null | undefined {
    switch (desc.typeName) {
      case "google.protobuf.Timestamp":
        return (reader, end) => {
          const { seconds, nanos } = readSecondsNanos(reader, end);
          return `"${timestampText(seconds, nanos)}"`;
        };
      case "google.protobuf.Duration":
        return (reader, end) => {
          const { seconds, nanos } = readSecondsNanos(reader, end);
          return `"${durationText(seconds, nanos)}"`;
        };
      default: {
        if (!WRAPPERS.has(desc.typeName)) return undefined;
        const field = desc.fields[0]!;
        const value = scalarValue(field.scalar!, field.utf8Validation);
        return (reader, end) => {
          let text = value.zero;
          while (reader.pos < end) {
            const tag = readTag(reader);
            const number = tag >>> 3;
            const wireType: WireType = tag & 7;
            if (number !== 1) reader.skip(wireType, number);
            else if (wireType !== value.wireType) throw new NeedsReflection("wrapper wire type");
            else text = value.read(reader);
          }
          if (reader.pos !== end) throw new NeedsReflection("wrapper overran its length");
          return text;
        };
      }
    }
  }

  return (schema, bytes) => {
    const render = rendererOf(schema);
    if (render) {
      try {
        const reader = new BinaryReader(bytes);
        return render(reader, reader.len);
      } catch {
        // Whatever this renderer refused or could not read, protobuf-es answers (or fails) as before.
      }
    }
    onReflected?.(schema.typeName);
    return reflect(schema, bytes);
  };
}

// Rendered by protobuf-es: their JSON forms are whole languages of their own.
const REFLECTED_WELL_KNOWN = new Set(["google.protobuf.Any", "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.FieldMask"]);

const WRAPPERS = new Set([
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
]);

/** How one scalar or enum value is read and written. */
interface ValueCodec {
  wireType: WireType;
  /** The zero value's JSON text. */
  zero: string;
  read(reader: BinaryReader): string;
}

function scalarValue(scalar: ScalarType, utf8Validation: boolean): ValueCodec {
  switch (scalar) {
    case ScalarType.INT32:
      return { wireType: WireType.Varint, zero: "0", read: (r) => String(r.int32()) };
    case ScalarType.UINT32:
      return { wireType: WireType.Varint, zero: "0", read: (r) => String(r.uint32()) };
    case ScalarType.SINT32:
      return { wireType: WireType.Varint, zero: "0", read: (r) => String(r.sint32()) };
    case ScalarType.FIXED32:
      return { wireType: WireType.Bit32, zero: "0", read: (r) => String(r.fixed32()) };
    case ScalarType.SFIXED32:
      return { wireType: WireType.Bit32, zero: "0", read: (r) => String(r.sfixed32()) };
    case ScalarType.INT64:
      return { wireType: WireType.Varint, zero: '"0"', read: (r) => `"${r.int64().toString()}"` };
    case ScalarType.UINT64:
      return { wireType: WireType.Varint, zero: '"0"', read: (r) => `"${r.uint64().toString()}"` };
    case ScalarType.SINT64:
      return { wireType: WireType.Varint, zero: '"0"', read: (r) => `"${r.sint64().toString()}"` };
    case ScalarType.FIXED64:
      return { wireType: WireType.Bit64, zero: '"0"', read: (r) => `"${r.fixed64().toString()}"` };
    case ScalarType.SFIXED64:
      return { wireType: WireType.Bit64, zero: '"0"', read: (r) => `"${r.sfixed64().toString()}"` };
    case ScalarType.FLOAT:
      return { wireType: WireType.Bit32, zero: "0", read: (r) => floatText(r.float()) };
    case ScalarType.DOUBLE:
      return { wireType: WireType.Bit64, zero: "0", read: (r) => floatText(r.double()) };
    case ScalarType.BOOL:
      return { wireType: WireType.Varint, zero: "false", read: (r) => (r.bool() ? "true" : "false") };
    case ScalarType.STRING:
      return { wireType: WireType.LengthDelimited, zero: '""', read: (r) => jsonString(r.string(utf8Validation)) };
    case ScalarType.BYTES:
      return { wireType: WireType.LengthDelimited, zero: '""', read: (r) => `"${base64Encode(r.bytes())}"` };
  }
}

// What JSON.stringify would escape in a string: quote, backslash, control characters, lone surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without entering the serializer for the usual string that needs no escape. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * The next tag as its number (`tag >>> 3` is the field number, `tag & 7` the wire type), without
 * the array `BinaryReader.tag()` returns. A tag protobuf-es would refuse goes to protobuf-es.
 */
function readTag(reader: BinaryReader): number {
  const start = reader.pos;
  const tag = reader.uint32();
  if (reader.pos - start > 4 || tag >>> 3 === 0 || (tag & 7) > 5) throw new NeedsReflection("illegal tag");
  return tag;
}

function enumValue(desc: DescEnum): ValueCodec {
  if (desc.typeName === "google.protobuf.NullValue") return { wireType: WireType.Varint, zero: "null", read: (r) => (r.int32(), "null") };
  // desc.value: the first value of each number, as protobuf-es looks names up (aliases share a number).
  const names = new Map(Object.values(desc.value).map((value) => [value.number, JSON.stringify(value.jsonName)]));
  return {
    wireType: WireType.Varint,
    zero: names.get(desc.values[0]!.number)!,
    // A number this gateway's descriptors do not know is written as the number.
    read: (r) => {
      const number = r.int32();
      return names.get(number) ?? String(number);
    },
  };
}

// Map keys as protobuf-es keeps them: object keys, so numbers and booleans in their string forms.
function mapKeyValue(scalar: ScalarType, utf8Validation: boolean): { wireType: WireType; zero: string; read(reader: BinaryReader): string } {
  if (scalar === ScalarType.STRING) return { wireType: WireType.LengthDelimited, zero: "", read: (r) => r.string(utf8Validation) };
  if (scalar === ScalarType.BOOL) return { wireType: WireType.Varint, zero: "false", read: (r) => String(r.bool()) };
  const codec = scalarValue(scalar, false);
  return { wireType: codec.wireType, zero: "0", read: (r) => codec.read(r).replace(/"/g, "") };
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Number.POSITIVE_INFINITY) return '"Infinity"';
  if (value === Number.NEGATIVE_INFINITY) return '"-Infinity"';
  return String(value);
}

function readSecondsNanos(reader: BinaryReader, end: number): { seconds: number; nanos: number } {
  let seconds = 0;
  let nanos = 0;
  while (reader.pos < end) {
    const tag = readTag(reader);
    const number = tag >>> 3;
    const wireType: WireType = tag & 7;
    if (number === 1 && wireType === VARINT) seconds = readInt64Number(reader);
    else if (number === 2 && wireType === VARINT) nanos = reader.int32();
    else if (number === 1 || number === 2) throw new NeedsReflection("seconds/nanos wire type");
    else reader.skip(wireType, number);
  }
  if (reader.pos !== end) throw new NeedsReflection("message overran its length");
  return { seconds, nanos };
}

/**
 * An int64 varint as a number, without the BigInt `int64()` makes: a varint of up to five bytes
 * whose last carries no more than bits 28 to 31 (0 to 2^32 - 1, every timestamp until 2106) is
 * what `uint32()` reads; anything else is read again by `int64()`. Values are seconds of a
 * Timestamp or Duration, whose range is far inside a number's exact integers.
 */
function readInt64Number(reader: BinaryReader): number {
  const start = reader.pos;
  const low = reader.uint32();
  const length = reader.pos - start;
  if (length < 5 || (length === 5 && bytesOf(reader)?.[start + 4]! <= 0x0f)) return low;
  reader.pos = start;
  return Number(reader.int64());
}

/** The bytes a reader reads (kept by protobuf-es as `buf`; a {@link BinaryReader} made by this module). */
function bytesOf(reader: BinaryReader): Uint8Array | undefined {
  return (reader as unknown as { buf?: Uint8Array }).buf;
}

// RFC 3339 with 0, 3, 6 or 9 fractional digits, as protobuf-es writes a Timestamp.
const TIMESTAMP_MS_MIN = Date.parse("0001-01-01T00:00:00Z");
const TIMESTAMP_MS_MAX = Date.parse("9999-12-31T23:59:59Z");

function timestampText(seconds: number, nanos: number): string {
  const ms = seconds * 1000;
  if (ms < TIMESTAMP_MS_MIN || ms > TIMESTAMP_MS_MAX || nanos < 0 || nanos > 999_999_999) throw new NeedsReflection("timestamp out of range");
  let z = "Z";
  if (nanos > 0) {
    const digits = (nanos + 1_000_000_000).toString().substring(1);
    if (digits.substring(3) === "000000") z = `.${digits.substring(0, 3)}Z`;
    else if (digits.substring(6) === "000") z = `.${digits.substring(0, 6)}Z`;
    else z = `.${digits}Z`;
  }
  return isoDateTime(seconds) + z;
}

// "YYYY-MM-DDTHH:MM:SS" of whole seconds since the epoch, years 1 to 9999: what Date's toISOString
// writes before its ".000Z", by integer arithmetic (days to civil date, as in Howard Hinnant's
// chrono algorithms), without a Date per value.
export function isoDateTime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  // The timestamps of one response are mostly of a few days: the last day's date is kept.
  if (days !== lastDay) {
    lastDate = civilDate(days);
    lastDay = days;
  }
  return `${lastDate}T${two(hours)}:${two(minutes)}:${two(secs)}`;
}

let lastDay = Number.NaN;
let lastDate = "";

// "YYYY-MM-DD" of a day since the epoch.
function civilDate(days: number): string {
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153); // March = 0
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

// "1.5s", "-0.000001s": as protobuf-es writes a Duration.
const DURATION_SECONDS_MAX = 315_576_000_000;

function durationText(seconds: number, nanos: number): string {
  const s = seconds;
  if (s > DURATION_SECONDS_MAX || s < -DURATION_SECONDS_MAX || (s > 0 && nanos < 0) || (s < 0 && nanos > 0)) throw new NeedsReflection("duration out of range");
  let text = seconds.toString();
  if (nanos !== 0) {
    let digits = Math.abs(nanos).toString();
    digits = "0".repeat(9 - digits.length) + digits;
    if (digits.substring(3) === "000000") digits = digits.substring(0, 3);
    else if (digits.substring(6) === "000") digits = digits.substring(0, 6);
    text += `.${digits}`;
    if (nanos < 0 && s === 0) text = `-${text}`;
  }
  return `${text}s`;
}

// Messages some registered extension extends: protobuf-es writes their extensions too.
function extendedTypeNames(registry: FileRegistry): Set<string> {
  const names = new Set<string>();
  for (const type of registry) if (type.kind === "extension") names.add(type.extendee.typeName);
  return names;
}
