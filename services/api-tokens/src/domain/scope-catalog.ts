import { getOption, hasOption, type DescMethod, type FileRegistry } from "@bufbuild/protobuf";
import { methodPolicy } from "@velaflows/kit";
import { http } from "@velaflows/proto/es/google/api/annotations_pb";
import type { HttpRule } from "@velaflows/proto/es/google/api/http_pb";
import { ALL_PERMISSIONS, grants, parsePermission, PERMISSION_LEVELS, type PermissionLevel } from "@velaflows/kit";

/** One scope a token can be granted. */
export interface Scope {
  /** "tags:read", or "*". */
  permission: string;
  /** "tags"; "" for "*". */
  service: string;
  /** "read", "write" or "manage"; "" for "*". */
  level: PermissionLevel | "";
  description: string;
  /** The REST routes the scope opens ("GET /api/v1/tags/{id}"), in route order. */
  routes: string[];
}

/** Every scope of the platform, "*" first, then by service and level. */
export interface ScopeCatalog {
  readonly scopes: readonly Scope[];
  /** True for "*" and for every permission some method of the platform declares. */
  has(scope: string): boolean;
}

// Packages under velaflows that are not deployed services: our options, shared messages, and the
// gateway's test-only EverythingService.
const NOT_SERVICES = new Set(["api", "common", "testing"]);

const DESCRIPTIONS: Record<PermissionLevel, (label: string) => string> = {
  read: (label) => `View ${label}`,
  write: (label) => `View, create, change and delete ${label}`,
  manage: (label) => `Full control of ${label}, including administration`,
};

/**
 * The catalog the platform's protos declare: every `<service>:<level>` permission named by a
 * method's `velaflows.api.v1.access` option, with the routes it opens (a level opens the routes
 * of its own and lower levels). Built once at start-up from the descriptor set, so a new service
 * or method brings its scopes with it and no list is kept by hand.
 */
export function buildScopeCatalog(registry: FileRegistry): ScopeCatalog {
  const methods = serviceMethods(registry).map((method) => ({ method, access: methodPolicy(method).access }));
  const permissions = new Map<string, Scope>();
  for (const { access } of methods) {
    const parsed = parsePermission(access);
    if (!parsed || permissions.has(access)) continue;
    permissions.set(access, {
      permission: access,
      service: parsed.service,
      level: parsed.level,
      description: DESCRIPTIONS[parsed.level](parsed.service.replace(/[-_]/g, " ")),
      routes: [],
    });
  }
  for (const scope of permissions.values()) {
    for (const { method, access } of methods) {
      if (parsePermission(access) && grants([scope.permission], access)) scope.routes.push(...routesOf(method));
    }
  }
  const sorted = [...permissions.values()].sort(
    (a, b) => a.service.localeCompare(b.service) || PERMISSION_LEVELS.indexOf(a.level as PermissionLevel) - PERMISSION_LEVELS.indexOf(b.level as PermissionLevel),
  );
  const all: Scope = { permission: ALL_PERMISSIONS, service: "", level: "", description: "Everything the token's creator may do", routes: [] };
  const scopes = Object.freeze([all, ...sorted]);
  return { scopes, has: (scope) => scope === ALL_PERMISSIONS || permissions.has(scope) };
}

function serviceMethods(registry: FileRegistry): DescMethod[] {
  const methods: DescMethod[] = [];
  for (const file of registry.files) {
    const match = /^velaflows\.([a-z0-9_]+)\.v\d+$/.exec(file.proto.package);
    if (!match || NOT_SERVICES.has(match[1]!)) continue;
    for (const service of file.services) methods.push(...service.methods);
  }
  return methods;
}

function routesOf(method: DescMethod): string[] {
  if (!hasOption(method, http)) return [];
  const rule = getOption(method, http);
  return [rule, ...rule.additionalBindings].flatMap(routeOf);
}

function routeOf(rule: HttpRule): string[] {
  switch (rule.pattern.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return [`${rule.pattern.case.toUpperCase()} ${rule.pattern.value}`];
    case "custom":
      return [`${rule.pattern.value.kind.toUpperCase()} ${rule.pattern.value.path}`];
    default:
      return [];
  }
}
