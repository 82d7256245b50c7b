import { getOption, hasOption, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { event_type } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { protoRegistry } from "../protos/proto-registry";

/** One event type of the platform, as declared in an events.proto. */
export interface EventTypeDescription {
  /** "service.entity.action", the message's `velaflows.api.v1.event_type` option. */
  type: string;
  /** The message's leading comment, on one line. */
  description: string;
  /** The first word of the type: the publishing service. */
  service: string;
  /** The event message's full name. */
  message: string;
}

let catalog: readonly EventTypeDescription[] | undefined;

/**
 * Every event type of the platform, sorted by type, read once from the descriptor set: each
 * message carrying the `event_type` option is one entry, described by its proto comment. The
 * protos are the only list; a new events.proto appears here after `npm run gen`.
 */
export function eventCatalog(): readonly EventTypeDescription[] {
  if (catalog) return catalog;
  const entries: EventTypeDescription[] = [];
  for (const desc of protoRegistry()) {
    if (desc.kind !== "message" || !hasOption(desc, event_type)) continue;
    const type = getOption(desc, event_type);
    entries.push(Object.freeze({ type, description: leadingComment(desc), service: type.split(".")[0]!, message: desc.typeName }));
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.type)) throw new Error(`Event type ${entry.type} is declared by more than one message`);
    seen.add(entry.type);
  }
  catalog = Object.freeze(entries.sort((a, b) => a.type.localeCompare(b.type)));
  return catalog;
}

/** The catalog entry of `type`, or undefined. */
export function findEventType(type: string): EventTypeDescription | undefined {
  return eventCatalog().find((entry) => entry.type === type);
}

/**
 * A proto3-JSON value of the event message of `type` with every field filled by a placeholder
 * (ids as 24 hex, timestamps as ISO 8601, one element per list), the shape receivers get in
 * `data`. Undefined for an unknown type.
 */
export function sampleEventData(type: string): Record<string, unknown> | undefined {
  const entry = findEventType(type);
  const desc = entry && protoRegistry().getMessage(entry.message);
  return desc ? sampleMessage(desc, 0) : undefined;
}

const SAMPLE_ID = "65a1b2c3d4e5f6a7b8c9d0e1";
const SAMPLE_TIME = "2026-03-24T14:30:00.000Z";
const MAX_DEPTH = 4;

function sampleMessage(desc: DescMessage, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > MAX_DEPTH) return out;
  for (const field of desc.fields) {
    const value = sampleField(field, depth);
    if (value !== undefined) out[field.jsonName] = value;
  }
  return out;
}

function sampleField(field: DescField, depth: number): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return sampleScalar(field.scalar, field.name);
    case "enum":
      return (field.enum.values.find((v) => v.number !== 0) ?? field.enum.values[0])?.name;
    case "message":
      return sampleOfMessage(field.message, depth);
    case "list": {
      const element =
        field.listKind === "scalar"
          ? sampleScalar(field.scalar, field.name)
          : field.listKind === "enum"
            ? (field.enum.values.find((v) => v.number !== 0) ?? field.enum.values[0])?.name
            : sampleOfMessage(field.message, depth);
      return element === undefined ? [] : [element];
    }
    case "map":
      return {};
  }
}

// Well-known types render as their JSON forms.
function sampleOfMessage(desc: DescMessage, depth: number): unknown {
  switch (desc.typeName) {
    case "google.protobuf.Timestamp":
      return SAMPLE_TIME;
    case "google.protobuf.Duration":
      return "1s";
    case "google.protobuf.FieldMask":
      return "";
    case "google.protobuf.Struct":
      return {};
    case "google.protobuf.Value":
      return null;
    default:
      return sampleMessage(desc, depth + 1);
  }
}

function sampleScalar(scalar: ScalarType, fieldName: string): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return sampleString(fieldName);
    case ScalarType.BOOL:
      return true;
    case ScalarType.BYTES:
      return "";
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return 1.5;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return "1";
    default:
      return 1;
  }
}

function sampleString(fieldName: string): string {
  if (fieldName === "id" || fieldName.endsWith("_id")) return SAMPLE_ID;
  if (fieldName.endsWith("_ids")) return SAMPLE_ID;
  if (fieldName.includes("email")) return "jane@example.com";
  if (fieldName.includes("url")) return "https://example.com/webhooks";
  if (fieldName.includes("color")) return "#22c55e";
  if (fieldName.includes("phone")) return "+14155551234";
  return `example ${fieldName.replace(/_/g, " ")}`;
}

// The leading comment of a top-level message, from the descriptor set's source info, joined into
// one line. Empty when the message has none.
function leadingComment(desc: DescMessage): string {
  const file = desc.file.proto;
  const path = desc.parent ? undefined : [4, file.messageType.indexOf(desc.proto)];
  const location = path && file.sourceCodeInfo?.location.find((l) => l.path.length === 2 && l.path[0] === path[0] && l.path[1] === path[1]);
  return (location?.leadingComments ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}
