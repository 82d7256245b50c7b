import { ConflictError, FailedPreconditionError, ForbiddenError, isUniqueViolation, newObjectId, NotFoundError, ValidationError, type FieldViolation, grantsAll } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { RoleEntity } from "../persistence/role.entity";
import { lockActor, resolveActor, type Actor, type Caller } from "./actor";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";
import { isCatalogPermission } from "./permission-catalog";
import { permissionsOf } from "./system-roles";

/** A role with its effective permissions and member count, as the API shows it. */
export interface RoleView {
  role: RoleEntity;
  permissions: string[];
  memberCount: number;
}

export async function listRoles(deps: AuthDeps, caller: Caller): Promise<RoleView[]> {
  await resolveActor(deps.store.read, caller);
  const [roles, counts] = await Promise.all([deps.store.read.roles.list(caller.workspaceId), deps.store.read.members.countsByRole(caller.workspaceId)]);
  return roles.map((role) => ({ role, permissions: permissionsOf(role), memberCount: counts.get(role.id) ?? 0 }));
}

export async function getRole(deps: AuthDeps, caller: Caller, id: string): Promise<RoleView> {
  await resolveActor(deps.store.read, caller);
  return roleView(deps.store.read, await mustFindRole(deps.store.read, caller.workspaceId, id));
}

export interface RoleInput {
  name: string;
  description: string;
  permissions: string[];
}

/** Creates a custom role from catalog permissions the caller holds. */
export async function createRole(deps: AuthDeps, caller: Caller, input: RoleInput): Promise<RoleView> {
  const name = cleanRoleName(input.name, "name");
  const permissions = cleanPermissions(input.permissions, "permissions");
  return withUniqueName(name, () =>
    deps.store.transaction(async (unit) => {
      const actor = await lockActor(unit, caller);
      assertHolds(actor, permissions, "create a role with permissions you do not hold");
      const role = await unit.roles.insert(caller.workspaceId, {
        id: newObjectId(),
        systemKey: null,
        name,
        nameKey: name.toLowerCase(),
        description: input.description.trim(),
        permissions,
      });
      await audit(unit, caller.workspaceId, actor.origin, { action: "role.created", targetType: "role", targetId: role.id, details: { name, permissions } });
      return roleView(unit, (await unit.roles.findById(caller.workspaceId, role.id))!);
    }),
  );
}

/** The role fields that can be updated, by their proto paths. */
export const UPDATABLE_ROLE_FIELDS = ["name", "description", "permissions"] as const;
export type UpdatableRoleField = (typeof UPDATABLE_ROLE_FIELDS)[number];

/** Updates a custom role. The caller must hold its permissions, before and after. */
export async function updateRole(deps: AuthDeps, caller: Caller, id: string, fields: readonly UpdatableRoleField[], changes: RoleInput): Promise<RoleView> {
  const patch: Partial<RoleEntity> = {};
  if (fields.includes("name")) {
    patch.name = cleanRoleName(changes.name, "role.name");
    patch.nameKey = patch.name.toLowerCase();
  }
  if (fields.includes("description")) patch.description = changes.description.trim();
  if (fields.includes("permissions")) patch.permissions = cleanPermissions(changes.permissions, "role.permissions");
  return withUniqueName(patch.name ?? "", () =>
    deps.store.transaction(async (unit) => {
      const actor = await lockActor(unit, caller);
      const role = await mustFindRole(unit, caller.workspaceId, id);
      if (role.systemKey) throw new FailedPreconditionError("System roles cannot be changed", "SYSTEM_ROLE");
      assertHolds(actor, role.permissions, "change a role with permissions you do not hold");
      if (patch.permissions) assertHolds(actor, patch.permissions, "give a role permissions you do not hold");
      const changed = (["name", "description", "permissions"] as const).filter(
        (key) => patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(role[key]),
      );
      if (changed.length === 0) return roleView(unit, role);
      await unit.roles.update(caller.workspaceId, id, patch);
      await audit(unit, caller.workspaceId, actor.origin, {
        action: "role.updated",
        targetType: "role",
        targetId: id,
        details: Object.fromEntries(changed.map((key) => [key, { from: role[key], to: patch[key] }])),
      });
      return roleView(unit, (await unit.roles.findById(caller.workspaceId, id))!);
    }),
  );
}

/** Deletes a custom role that no member and no pending invitation uses. */
export async function deleteRole(deps: AuthDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const role = await mustFindRole(unit, caller.workspaceId, id);
    if (role.systemKey) throw new FailedPreconditionError("System roles cannot be deleted", "SYSTEM_ROLE");
    const members = await unit.members.countByRole(caller.workspaceId, id);
    const invitations = await unit.invitations.countOpenByRole(caller.workspaceId, id, new Date());
    if (members > 0 || invitations > 0) {
      throw new FailedPreconditionError(
        `The role is in use by ${members} member(s) and ${invitations} pending invitation(s): give them another role first`,
        "ROLE_IN_USE",
      );
    }
    // Expired or closed invitations still point at the role; they go with it.
    await unit.invitations.deleteByRole(caller.workspaceId, id);
    await unit.roles.delete(caller.workspaceId, id);
    await audit(unit, caller.workspaceId, actor.origin, { action: "role.deleted", targetType: "role", targetId: id, details: { name: role.name } });
  });
}

async function roleView(source: Pick<AuthUnit, "members">, role: RoleEntity): Promise<RoleView> {
  return { role, permissions: permissionsOf(role), memberCount: await source.members.countByRole(role.workspaceId, role.id) };
}

async function mustFindRole(source: Pick<AuthUnit, "roles">, workspaceId: string, id: string): Promise<RoleEntity> {
  const role = await source.roles.findById(workspaceId, id);
  if (!role) throw new NotFoundError("Role", id);
  return role;
}

function assertHolds(actor: Actor, permissions: readonly string[], what: string): void {
  if (!grantsAll(actor.permissions, permissions)) throw new ForbiddenError(`You cannot ${what}`);
}

function cleanRoleName(name: string, path: string): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

// Permissions must come from the catalog ("*" is the owner's alone); stored without duplicates, sorted.
function cleanPermissions(permissions: readonly string[], path: string): string[] {
  const violations: FieldViolation[] = [];
  permissions.forEach((permission, i) => {
    if (!isCatalogPermission(permission)) violations.push({ path: `${path}[${i}]`, message: `"${permission}" is not in the permission catalog` });
  });
  if (permissions.length === 0) violations.push({ path, message: "is required" });
  if (violations.length > 0) throw new ValidationError(violations);
  return [...new Set(permissions)].sort();
}

async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "roles_workspace_name_key")) throw new ConflictError(`A role named "${name}" already exists`, "ROLE_NAME_TAKEN");
    throw error;
  }
}
