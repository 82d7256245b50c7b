import type { RoleEntity, SystemRoleKey } from "../persistence/role.entity";
import { catalogServices } from "./permission-catalog";
import { ALL_PERMISSIONS } from "@velaflows/kit";

/** The system roles every workspace is created with, in display order. */
export const SYSTEM_ROLES: readonly { key: SystemRoleKey; name: string; description: string }[] = [
  { key: "owner", name: "Owner", description: "Everything, including deleting the workspace and transferring ownership. Exactly one member." },
  { key: "admin", name: "Admin", description: "Manages every service of the workspace, its members, roles and teams." },
  { key: "agent", name: "Agent", description: "Works in every service of the workspace; sees members and teams; no administration." },
];

// Services an agent does not get "write" on: what it gets there instead (none: left out).
const AGENT_LEVEL_OVERRIDES: Readonly<Record<string, "read" | null>> = { auth: "read", "api-tokens": null };

/**
 * The permissions of a system role, computed from the catalog so they grow with the platform:
 * owner ["*"]; admin "<service>:manage" for every service; agent "<service>:write" for every
 * service but auth ("auth:read") and api-tokens (none).
 */
export function systemRolePermissions(key: SystemRoleKey): string[] {
  switch (key) {
    case "owner":
      return [ALL_PERMISSIONS];
    case "admin":
      return catalogServices().map((service) => `${service}:manage`);
    case "agent":
      return catalogServices().flatMap((service) => {
        const override = Object.hasOwn(AGENT_LEVEL_OVERRIDES, service) ? AGENT_LEVEL_OVERRIDES[service] : "write";
        return override === null ? [] : [`${service}:${override}`];
      });
  }
}

/** The permissions a role grants. */
export function permissionsOf(role: Pick<RoleEntity, "systemKey" | "permissions">): string[] {
  return role.systemKey ? systemRolePermissions(role.systemKey) : [...role.permissions];
}

/** "owner", "admin", "agent", or "custom": how APIs name a role's kind. */
export function roleKeyOf(role: Pick<RoleEntity, "systemKey">): string {
  return role.systemKey ?? "custom";
}
