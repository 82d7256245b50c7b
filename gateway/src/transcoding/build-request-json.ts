import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Route } from "../routing/route";
import type { PathParam } from "../routing/route-matcher";
import { ParameterError, scalarValue, textToJsonValue } from "./scalar-text";

/** The parts of an HTTP request that fill the gRPC request message. */
export interface HttpRequestParts {
  params: readonly PathParam[];
  /** The query string, with form semantics ("+" is a space). */
  query: URLSearchParams;
  /** The parsed JSON body; undefined when the request has none. */
  body: unknown;
}

/** The body does not fit the binding (e.g. not an object for `body: "*"`): 400. */
export class BodyError extends Error {
  override name = "BodyError";
}

type JsonObject = Record<string, unknown>;

/**
 * Assembles the proto3 JSON of the request message from the body, the query string and the path,
 * in that order, so the path wins over the body (grpc-gateway's rule). Query parameters bind only
 * fields that neither the path nor the body covers; unknown ones are ignored. For PATCH with
 * `body: "<field>"` and an unset FieldMask, the mask is built from the keys present in the body
 * (AIP-134 partial update).
 */
export function buildRequestJson(route: Route, parts: HttpRequestParts): JsonObject {
  const input = route.method.input;
  let json: JsonObject = {};
  const bodyField = route.body && route.body !== "*" ? input.fields.find((f) => f.name === route.body) : undefined;
  if (parts.body !== undefined) {
    if (route.body === "*") {
      if (!isObject(parts.body)) throw new BodyError("The request body must be a JSON object");
      json = parts.body;
    } else if (bodyField) {
      json[bodyField.jsonName] = parts.body;
    }
  }
  // The implied mask lists the fields the client sent, so it is taken before the path adds its own.
  const impliedMask = route.httpMethod === "PATCH" && bodyField ? impliedFieldMask(input, bodyField, json) : undefined;
  if (route.body !== "*") applyQuery(route, json, parts.query);
  for (const param of parts.params) {
    const leaf = param.variable.fields[param.variable.fields.length - 1]!;
    const name = param.variable.fields.map((f) => f.jsonName).join(".");
    setPath(json, param.variable.fields, textToJsonValue(leaf, param.value, name));
  }
  if (impliedMask && json[impliedMask.field.jsonName] === undefined && json[impliedMask.field.name] === undefined) {
    json[impliedMask.field.jsonName] = impliedMask.paths;
  }
  return json;
}

function applyQuery(route: Route, json: JsonObject, query: URLSearchParams): void {
  const boundTop = new Set(route.template.variables.map((v) => v.fields.map((f) => f.name).join(".")));
  const keys = new Set(query.keys());
  for (const key of keys) {
    const fields = resolveQueryPath(route.method.input, key);
    if (!fields) continue; // unknown parameters are ignored, for forward compatibility
    const path = fields.map((f) => f.name).join(".");
    if (fields[0]!.name === route.body || [...boundTop].some((bound) => path === bound || path.startsWith(`${bound}.`))) continue;
    const leaf = fields[fields.length - 1]!;
    const texts = query.getAll(key);
    if (leaf.fieldKind === "list") {
      setPath(json, fields, texts.map((text) => queryValue(leaf, text, key)));
    } else if (leaf.fieldKind === "map") {
      throw new ParameterError(key, "a scalar field (maps cannot be set from the query string)");
    } else {
      if (texts.length > 1) throw new ParameterError(key, "a single value");
      setPath(json, fields, queryValue(leaf, texts[0]!, key));
    }
  }
}

// Dotted names, each part by its proto name or JSON name; undefined when a part does not exist.
function resolveQueryPath(input: DescMessage, key: string): DescField[] | undefined {
  const fields: DescField[] = [];
  let message: DescMessage | undefined = input;
  for (const part of key.split(".")) {
    if (!message || isWellKnown(message)) return undefined;
    const field: DescField | undefined = message.fields.find((f) => f.name === part || f.jsonName === part);
    if (!field) return undefined;
    fields.push(field);
    message = field.fieldKind === "message" ? field.message : undefined;
  }
  return fields;
}

function queryValue(field: DescField, text: string, key: string): unknown {
  const message = field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message") ? field.message : undefined;
  if (!message) return textToJsonValue(field, text, key);
  switch (message.typeName) {
    case "google.protobuf.Timestamp":
    case "google.protobuf.Duration":
    case "google.protobuf.FieldMask":
      return text; // their JSON form is this text; the JSON decoder checks it
    case "google.protobuf.Struct":
    case "google.protobuf.Value":
    case "google.protobuf.ListValue":
      try {
        return JSON.parse(text);
      } catch {
        throw new ParameterError(key, "JSON");
      }
    default: {
      const wrapped = message.typeName.startsWith("google.protobuf.") && message.typeName.endsWith("Value") ? message.fields[0] : undefined;
      if (wrapped?.scalar !== undefined) return scalarValue(wrapped.scalar, text, key);
      throw new ParameterError(key, `a scalar; set the fields of ${message.typeName} as "${key}.<field>"`);
    }
  }
}

function setPath(json: JsonObject, fields: readonly DescField[], value: unknown): void {
  let target = json;
  fields.forEach((field, i) => {
    if (field.name !== field.jsonName) delete target[field.name]; // one spelling per field
    if (i === fields.length - 1) {
      target[field.jsonName] = value;
      return;
    }
    const next = target[field.jsonName];
    target = target[field.jsonName] = isObject(next) ? next : {};
  });
}

// grpc-gateway's "patch feature": one FieldMask in the request, a message body, no mask given.
function impliedFieldMask(input: DescMessage, bodyField: DescField, json: JsonObject): { field: DescField; paths: string } | undefined {
  const masks = input.fields.filter((f) => f.fieldKind === "message" && f.message.typeName === "google.protobuf.FieldMask");
  const body = json[bodyField.jsonName];
  if (masks.length !== 1 || !isObject(body) || bodyField.fieldKind !== "message") return undefined;
  return { field: masks[0]!, paths: maskPaths(bodyField.message, body, "").join(",") };
}

// FieldMask JSON uses lowerCamel forms of proto names (not custom json_name), joined by commas.
function maskPaths(message: DescMessage, body: JsonObject, prefix: string): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const field = message.fields.find((f) => f.jsonName === key || f.name === key);
    if (!field) continue;
    const path = prefix + camel(field.name);
    if (field.fieldKind === "message" && !isWellKnown(field.message) && isObject(value)) {
      const nested = maskPaths(field.message, value, `${path}.`);
      paths.push(...(nested.length > 0 ? nested : [path]));
    } else {
      paths.push(path);
    }
  }
  return paths;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isWellKnown(message: DescMessage): boolean {
  return message.typeName.startsWith("google.protobuf.");
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
