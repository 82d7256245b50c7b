import { getOption, hasOption, type DescMethod, type DescService, type FileRegistry } from "@bufbuild/protobuf";
import { methodPolicy } from "@velaflows/kit";
import { http } from "@velaflows/proto/es/google/api/annotations_pb";
import type { HttpRule } from "@velaflows/proto/es/google/api/http_pb";
import { answersHttpBody } from "../transcoding/http-body";
import { parsePathTemplate } from "./path-template";
import type { Route } from "./route";

/**
 * Every HTTP binding of every service in the registry whose package is `velaflows.<name>.v1`,
 * read from the `google.api.http` options, checked, and sorted by precedence. The upstream of a
 * service is the `<name>` of its package (`velaflows.api_tokens.v1` → "api-tokens"), the name of
 * its folder and manifest. Throws at start-up, naming the method, for any invalid binding.
 */
export function buildRoutes(registry: FileRegistry): Route[] {
  const routes: Route[] = [];
  for (const file of registry.files) {
    const upstream = upstreamOfPackage(file.proto.package);
    if (!upstream) continue;
    for (const service of file.services) {
      for (const method of service.methods) {
        if (!hasOption(method, http)) continue;
        routes.push(...routesOfMethod(service, method, upstream));
      }
    }
  }
  assertNoCollisions(routes);
  return routes.sort(comparePrecedence);
}

/** "velaflows.api_tokens.v1" → "api-tokens"; undefined for packages that are not services. */
export function upstreamOfPackage(pkg: string): string | undefined {
  const match = /^velaflows\.([a-z0-9_]+)\.v\d+$/.exec(pkg);
  if (!match || match[1] === "api" || match[1] === "common") return undefined;
  return match[1]!.replace(/_/g, "-");
}

function routesOfMethod(service: DescService, method: DescMethod, upstream: string): Route[] {
  const where = `${service.typeName}.${method.name}`;
  if (method.methodKind !== "unary") throw new Error(`${where}: only unary methods can have HTTP bindings (it is ${method.methodKind})`);
  const rule = getOption(method, http);
  const policy = methodPolicy(method);
  const bindings: HttpRule[] = [rule, ...rule.additionalBindings];
  return bindings.map((binding, bindingIndex) => {
    if (bindingIndex > 0 && binding.additionalBindings.length > 0) throw new Error(`${where}: additional_bindings cannot nest`);
    const { httpMethod, path } = patternOf(binding, where);
    const template = parsePathTemplate(path, method.input);
    checkBody(binding.body, method, where);
    if (binding.responseBody && !method.output.fields.some((f) => f.name === binding.responseBody)) {
      throw new Error(`${where}: response_body "${binding.responseBody}" is not a field of ${method.output.typeName}`);
    }
    const httpBody = answersHttpBody(method.output, binding.responseBody);
    return { httpMethod, template, body: binding.body, responseBody: binding.responseBody, httpBody, method, policy, upstream, bindingIndex };
  });
}

function patternOf(rule: HttpRule, where: string): { httpMethod: string; path: string } {
  switch (rule.pattern.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return { httpMethod: rule.pattern.case.toUpperCase(), path: rule.pattern.value };
    case "custom":
      return { httpMethod: rule.pattern.value.kind === "*" ? "*" : rule.pattern.value.kind.toUpperCase(), path: rule.pattern.value.path };
    default:
      throw new Error(`${where}: the HTTP rule has no method and path`);
  }
}

function checkBody(body: string, method: DescMethod, where: string): void {
  if (body === "" || body === "*") return;
  const field = method.input.fields.find((f) => f.name === body);
  if (!field) throw new Error(`${where}: body "${body}" is not a top-level field of ${method.input.typeName}`);
  if (field.fieldKind === "map") throw new Error(`${where}: body "${body}" is a map`);
}

function assertNoCollisions(routes: readonly Route[]): void {
  const seen = new Map<string, Route>();
  for (const route of routes) {
    const key = `${route.httpMethod} ${shapeOf(route)}`;
    const other = seen.get(key);
    if (other) {
      throw new Error(
        `HTTP bindings collide: ${route.httpMethod} ${route.template.source} (${route.method.parent.typeName}.${route.method.name}) and ` +
          `${other.template.source} (${other.method.parent.typeName}.${other.method.name})`,
      );
    }
    seen.set(key, route);
  }
}

// Two templates are equivalent when they match the same paths: variables do not matter, only the
// segment kinds, literals and verb.
function shapeOf(route: Route): string {
  const segments = route.template.segments.map((s) => (s.kind === "literal" ? `=${s.value}` : s.kind === "wildcard" ? "*" : "**"));
  return `${segments.join("/")}${route.template.verb ? `:${route.template.verb}` : ""}`;
}

const RANK = { literal: 0, wildcard: 1, deep: 2 } as const;

/**
 * Deterministic precedence, segment by segment from the left: a literal beats `*`, which beats
 * `**`; then a template with a verb beats one without; then more segments first; then by text.
 */
export function comparePrecedence(a: Route, b: Route): number {
  const length = Math.max(a.template.segments.length, b.template.segments.length);
  for (let i = 0; i < length; i++) {
    const sa = a.template.segments[i];
    const sb = b.template.segments[i];
    if (!sa || !sb) break;
    const diff = RANK[sa.kind] - RANK[sb.kind];
    if (diff !== 0) return diff;
  }
  if (Boolean(a.template.verb) !== Boolean(b.template.verb)) return a.template.verb ? -1 : 1;
  if (a.template.segments.length !== b.template.segments.length) return b.template.segments.length - a.template.segments.length;
  return a.template.source < b.template.source ? -1 : a.template.source > b.template.source ? 1 : a.httpMethod < b.httpMethod ? -1 : 1;
}
