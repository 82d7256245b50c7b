import { protoRegistry, methodPolicy } from "@velaflows/kit";
import { parsePermission, type PermissionLevel } from "@velaflows/kit";

/** One permission some method of the platform requires. */
export interface CatalogPermission {
  permission: string;
  service: string;
  level: PermissionLevel;
  /** "velaflows.tags.v1.TagsService.ListTags", sorted. */
  methods: string[];
}

// velaflows.api.v1 and velaflows.common.v1 hold no services; velaflows.testing.v1 is a fixture of
// the gateway's tests that is never deployed.
const NOT_DEPLOYED = new Set(["api", "common", "testing"]);

let catalog: readonly CatalogPermission[] | undefined;

/**
 * Every "<service>:<level>" that the `velaflows.api.v1.access` option of some method declares,
 * read once from the platform's descriptor set (so a new service's permissions appear with its
 * protos, and no list is kept by hand). Sorted by permission.
 */
export function permissionCatalog(): readonly CatalogPermission[] {
  if (catalog) return catalog;
  const found = new Map<string, CatalogPermission>();
  for (const file of protoRegistry().files) {
    const match = /^velaflows\.([a-z0-9_]+)\.v\d+$/.exec(file.proto.package);
    if (!match || NOT_DEPLOYED.has(match[1]!)) continue;
    for (const service of file.services) {
      for (const method of service.methods) {
        const access = methodPolicy(method).access;
        const parsed = parsePermission(access);
        if (!parsed) continue;
        const entry = found.get(access) ?? { permission: access, ...parsed, methods: [] };
        entry.methods.push(`${service.typeName}.${method.name}`);
        found.set(access, entry);
      }
    }
  }
  catalog = Object.freeze(
    [...found.values()].map((entry) => ({ ...entry, methods: entry.methods.sort() })).sort((a, b) => a.permission.localeCompare(b.permission)),
  );
  return catalog;
}

/** The services that appear in the catalog, sorted. */
export function catalogServices(): string[] {
  return [...new Set(permissionCatalog().map((entry) => entry.service))].sort();
}

/** True when `permission` is in the catalog. */
export function isCatalogPermission(permission: string): boolean {
  return permissionCatalog().some((entry) => entry.permission === permission);
}
