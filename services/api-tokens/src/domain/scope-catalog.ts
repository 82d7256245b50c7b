import { getOption, hasOption, type DescMethod, type FileRegistry } from "@bufbuild/protobuf";
import { http } from "@velaflows/proto/es/google/api/annotations_pb";
import type { HttpRule } from "@velaflows/proto/es/google/api/http_pb";
import { ALL_PERMISSIONS, declaredPermissions, grants, methodPolicy, serviceMethods, type PermissionLevel } from "@velaflows/kit";

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

const DESCRIPTIONS: Record<PermissionLevel, (label: string) => string> = {
  read: (label) => `View ${label}`,
  write: (label) => `View, create, change and delete ${label}`,
  manage: (label) => `Full control of ${label}, including administration`,
};

/**
 * The scopes a token can be granted: `*` and every permission the platform's protos declare (the
 * kit's `declaredPermissions`), each with the REST routes it opens (a level opens the routes of its
 * own and lower levels). Built once at start-up from the descriptor set.
 */
export function buildScopeCatalog(registry: FileRegistry): ScopeCatalog {
  const declared = declaredPermissions(registry);
  // In the order the protos declare them, so each scope lists its routes in route order.
  const methods = serviceMethods(registry).map((method) => ({ method, access: methodPolicy(method).access }));
  const scopes = declared.map(
    (entry): Scope => ({
      permission: entry.permission,
      service: entry.service,
      level: entry.level,
      description: DESCRIPTIONS[entry.level](entry.service.replace(/[-_]/g, " ")),
      routes: methods.filter(({ access }) => grants([entry.permission], access)).flatMap(({ method }) => routesOf(method)),
    }),
  );
  const all: Scope = { permission: ALL_PERMISSIONS, service: "", level: "", description: "Everything the token's creator may do", routes: [] };
  const known = new Set(scopes.map((scope) => scope.permission));
  return { scopes: Object.freeze([all, ...scopes]), has: (scope) => scope === ALL_PERMISSIONS || known.has(scope) };
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
