import type { PathTemplate, Route, TemplateVariable } from "./route";

/** A path variable's value, percent-decoded by the rules of its template. */
export interface PathParam {
  variable: TemplateVariable;
  value: string;
}

/** What the matcher found for a request. */
export type RouteMatch =
  | { kind: "match"; route: Route; params: PathParam[] }
  /** The path exists, but not for this method; `allow` lists the methods it has. */
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" }
  /** The path has malformed percent-encoding. */
  | { kind: "bad_path" };

/** Finds the route for a method and a raw (still percent-encoded) path, by the routes' precedence. */
export type RouteMatcher = (httpMethod: string, rawPath: string) => RouteMatch;

const PREFIX_LENGTH = 3; // "/api/v1/<service>": enough to pick a service's routes at once

/**
 * Builds the matcher over routes already sorted by precedence (see `comparePrecedence`). Matching
 * runs on the raw path: literals compare decoded, single-segment variables decode everything,
 * multi-segment variables keep reserved characters such as %2F encoded (the HttpRule rules).
 * A ":" in the last segment is data unless a route there declares that verb.
 */
export function createRouteMatcher(routes: readonly Route[]): RouteMatcher {
  const byPrefix = new Map<string, Route[]>();
  const others: Route[] = [];
  for (const route of routes) {
    const head = route.template.segments.slice(0, PREFIX_LENGTH);
    if (head.length === PREFIX_LENGTH && head.every((s) => s.kind === "literal")) {
      // A verb right after the prefix ("/api/v1/tags:batchGet") is part of the request's third segment.
      const verb = route.template.segments.length === PREFIX_LENGTH && route.template.verb ? `:${route.template.verb}` : "";
      const key = head.map((s) => (s.kind === "literal" ? s.value : "")).join("/") + verb;
      const list = byPrefix.get(key) ?? [];
      list.push(route);
      byPrefix.set(key, list);
    } else {
      others.push(route);
    }
  }

  return (httpMethod, rawPath) => {
    if (!rawPath.startsWith("/") || /%(?![0-9a-fA-F]{2})/.test(rawPath)) return { kind: "bad_path" };
    const segments = rawPath.slice(1).split("/");
    let key: string;
    try {
      key = segments.slice(0, PREFIX_LENGTH).map(decodeURIComponent).join("/");
    } catch {
      return { kind: "bad_path" };
    }
    const candidates = [...(byPrefix.get(key) ?? []), ...others];
    const allow = new Set<string>();
    for (const route of candidates) {
      const values = matchTemplate(route.template, segments);
      if (!values) continue;
      if (route.httpMethod === httpMethod || route.httpMethod === "*") {
        return { kind: "match", route, params: route.template.variables.map((variable, i) => ({ variable, value: values[i]! })) };
      }
      allow.add(route.httpMethod);
    }
    return allow.size > 0 ? { kind: "method_not_allowed", allow: [...allow].sort() } : { kind: "not_found" };
  };
}

/** The decoded values of the template's variables when `raw` matches it, else undefined. */
export function matchTemplate(template: PathTemplate, raw: readonly string[]): string[] | undefined {
  let segments = raw;
  if (template.verb) {
    const last = raw[raw.length - 1] ?? "";
    const suffix = `:${template.verb}`;
    if (!last.endsWith(suffix) || last.length === suffix.length) return undefined;
    segments = [...raw.slice(0, -1), last.slice(0, -suffix.length)];
  }
  const pattern = template.segments;
  const deep = pattern[pattern.length - 1]?.kind === "deep";
  if (deep ? segments.length < pattern.length - 1 : segments.length !== pattern.length) return undefined;
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment.kind === "deep") break;
    const text = segments[i]!;
    if (text.length === 0) return undefined;
    if (segment.kind === "literal" && safeDecode(text) !== segment.value) return undefined;
  }
  return template.variables.map((variable) => {
    const parts = segments.slice(variable.start, variable.end ?? segments.length);
    const single = variable.end !== undefined && variable.end - variable.start === 1;
    return single ? safeDecode(parts[0]!) : parts.map(decodeExceptReserved).join("/");
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// RFC 6570 reserved characters stay percent-encoded inside multi-segment variables, so an
// encoded "/" in a name never becomes a path separator.
const RESERVED = new Set([":", "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "="]);

function decodeExceptReserved(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(run);
    } catch {
      return run; // an incomplete UTF-8 sequence stays as it was
    }
    return [...decoded].map((char) => (RESERVED.has(char) ? encodeURIComponent(char).replace("*", "%2A").replace("'", "%27") : char)).join("");
  });
}
