import { declaredPermissions, type PermissionLevel } from "@velaflows/kit";

/** One permission some method of the platform requires. */
export interface CatalogPermission {
  permission: string;
  service: string;
  level: PermissionLevel;
  /** "velaflows.tags.v1.TagsService.ListTags", sorted. */
  methods: string[];
}

let catalog: readonly CatalogPermission[] | undefined;

/** The kit's catalog of declared permissions, sorted by permission, with method names. */
export function permissionCatalog(): readonly CatalogPermission[] {
  catalog ??= Object.freeze(
    declaredPermissions()
      .map((entry) => ({
        permission: entry.permission,
        service: entry.service,
        level: entry.level,
        methods: entry.methods.map((method) => `${method.parent.typeName}.${method.name}`).sort(),
      }))
      .sort((a, b) => a.permission.localeCompare(b.permission)),
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
