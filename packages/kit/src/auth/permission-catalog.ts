import type { DescMethod, FileRegistry } from "@bufbuild/protobuf";
import { methodPolicy } from "../protos/method-options";
import { protoRegistry } from "../protos/proto-registry";
import { parsePermission, PERMISSION_LEVELS, type PermissionLevel } from "./permission";

/** One permission that some method of the platform requires. */
export interface DeclaredPermission {
  /** "tags:read" */
  permission: string;
  service: string;
  level: PermissionLevel;
  /** The methods whose `access` option names exactly this permission, by full name. */
  methods: readonly DescMethod[];
}

// Packages under velaflows that are not deployed services: our options, shared messages, and the
// gateway's test-only EverythingService.
const NOT_SERVICES = new Set(["api", "common", "testing"]);

const catalogs = new WeakMap<FileRegistry, readonly DeclaredPermission[]>();

/**
 * Every `<service>:<level>` that the `velaflows.api.v1.access` option of some method of a deployed
 * service declares, read from the descriptor set (so a new service brings its permissions with its
 * protos, and no list is kept by hand). Sorted by service, then level (read, write, manage).
 * Roles (Auth) and API-token scopes (API Tokens) are built from it.
 */
export function declaredPermissions(registry: FileRegistry = protoRegistry()): readonly DeclaredPermission[] {
  const cached = catalogs.get(registry);
  if (cached) return cached;
  const found = new Map<string, { permission: string; service: string; level: PermissionLevel; methods: DescMethod[] }>();
  for (const method of serviceMethods(registry)) {
    const access = methodPolicy(method).access;
    const parsed = parsePermission(access);
    if (!parsed) continue;
    const entry = found.get(access) ?? { permission: access, ...parsed, methods: [] };
    entry.methods.push(method);
    found.set(access, entry);
  }
  const sorted = Object.freeze(
    [...found.values()].sort((a, b) => a.service.localeCompare(b.service) || PERMISSION_LEVELS.indexOf(a.level) - PERMISSION_LEVELS.indexOf(b.level)),
  );
  catalogs.set(registry, sorted);
  return sorted;
}

/** Every method of every deployed service in the registry. */
export function serviceMethods(registry: FileRegistry = protoRegistry()): DescMethod[] {
  const methods: DescMethod[] = [];
  for (const file of registry.files) {
    const match = /^velaflows\.([a-z0-9_]+)\.v\d+$/.exec(file.proto.package);
    if (!match || NOT_SERVICES.has(match[1]!)) continue;
    for (const service of file.services) methods.push(...service.methods);
  }
  return methods;
}
