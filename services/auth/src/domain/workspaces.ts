import { FailedPreconditionError, newObjectId, NotFoundError, ValidationError } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { MemberEntity } from "../persistence/member.entity";
import type { RoleEntity } from "../persistence/role.entity";
import type { UserEntity } from "../persistence/user.entity";
import type { WorkspaceRecordEntity } from "../persistence/workspace-record.entity";
import type { UserWorkspaceRow } from "../persistence/workspaces.repository";
import { toMemberProto } from "../persistence/member.mapper";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { assertOwner, lockActor, resolveActor, type Caller } from "./actor";
import { audit } from "./audit";
import { memberJoined, memberRoleChanged, workspaceCreated, workspaceDeleted, workspaceOwnershipTransferred, workspaceUpdated } from "./auth-events";
import type { AuthDeps } from "./deps";
import type { CallOrigin } from "./origin";
import { roleKeyOf, SYSTEM_ROLES } from "./system-roles";

/** A workspace just created, with its owner's membership and role. */
export interface CreatedWorkspace {
  workspace: WorkspaceRecordEntity;
  member: MemberEntity;
  ownerRole: RoleEntity;
}

/** Trims a workspace name; refuses one that is blank once trimmed. */
export function cleanWorkspaceName(name: string, path = "name"): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

/** Creates a workspace owned by `owner`, with the system roles, inside the caller's transaction. */
export async function createWorkspaceIn(unit: AuthUnit, owner: UserEntity, name: string, origin: CallOrigin): Promise<CreatedWorkspace> {
  const now = new Date();
  const workspace = await unit.workspaces.insert({ id: newObjectId(now), name, ownerId: owner.id });
  const roles: RoleEntity[] = [];
  for (const system of SYSTEM_ROLES) {
    roles.push(
      await unit.roles.insert(workspace.id, {
        id: newObjectId(now),
        systemKey: system.key,
        name: system.name,
        nameKey: system.name.toLowerCase(),
        description: system.description,
        permissions: [],
      }),
    );
  }
  const ownerRole = roles.find((role) => role.systemKey === "owner")!;
  const member = await unit.members.insert(workspace.id, { id: newObjectId(now), userId: owner.id, roleId: ownerRole.id, invitedBy: null });
  const saved = (await unit.workspaces.findById(workspace.id))!;
  const savedMember = (await unit.members.findByUser(workspace.id, owner.id))!;
  await unit.publish([
    workspaceCreated(workspace.id, { workspace: toWorkspaceProto(saved) }),
    memberJoined(workspace.id, { member: toMemberProto({ member: savedMember, user: owner, role: ownerRole }) }),
  ]);
  await audit(unit, workspace.id, { ...origin, userId: owner.id }, { action: "workspace.created", targetType: "workspace", targetId: workspace.id, details: { name } });
  return { workspace: saved, member, ownerRole };
}

export async function createWorkspace(deps: AuthDeps, userId: string, name: string, origin: CallOrigin): Promise<WorkspaceRecordEntity> {
  const cleaned = cleanWorkspaceName(name);
  return deps.store.transaction(async (unit) => {
    const owner = await unit.users.findById(userId);
    if (!owner) throw new NotFoundError("User", userId);
    return (await createWorkspaceIn(unit, owner, cleaned, origin)).workspace;
  });
}

export function listMyWorkspaces(deps: AuthDeps, userId: string): Promise<UserWorkspaceRow[]> {
  return deps.store.read.workspaces.listForUser(userId);
}

// Routes that name a workspace act on the call's workspace only: a permission held in the
// workspace of `x-workspace-id` must never reach another one. Any other id is "not found".
function assertSameWorkspace(caller: Caller, id: string): void {
  if (id !== caller.workspaceId) throw new NotFoundError("Workspace", id);
}

export async function getWorkspace(deps: AuthDeps, caller: Caller, id: string): Promise<WorkspaceRecordEntity> {
  assertSameWorkspace(caller, id);
  return (await resolveActor(deps.store.read, caller)).workspace;
}

export async function renameWorkspace(deps: AuthDeps, caller: Caller, id: string, name: string): Promise<WorkspaceRecordEntity> {
  assertSameWorkspace(caller, id);
  const cleaned = cleanWorkspaceName(name, "workspace.name");
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    if (cleaned === actor.workspace.name) return actor.workspace;
    await unit.workspaces.update(id, { name: cleaned });
    const updated = (await unit.workspaces.findById(id))!;
    await unit.publish([workspaceUpdated(id, { workspace: toWorkspaceProto(updated), changedFields: ["name"] })]);
    await audit(unit, id, actor.origin, { action: "workspace.updated", targetType: "workspace", targetId: id, details: { name: { from: actor.workspace.name, to: cleaned } } });
    return updated;
  });
}

/** Deletes the workspace (owner only). Its rows stay for the audit trail; it has no members any more. */
export async function deleteWorkspace(deps: AuthDeps, caller: Caller, id: string): Promise<void> {
  assertSameWorkspace(caller, id);
  await deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    assertOwner(actor, "delete the workspace");
    await unit.workspaces.update(id, { deletedAt: new Date() });
    await unit.publish([workspaceDeleted(id, { workspaceId: id, name: actor.workspace.name })]);
    await audit(unit, id, actor.origin, { action: "workspace.deleted", targetType: "workspace", targetId: id, details: { name: actor.workspace.name } });
  });
}

/** Makes another member the owner (owner only); the previous owner becomes an admin. */
export async function transferOwnership(deps: AuthDeps, caller: Caller, id: string, newOwnerId: string): Promise<WorkspaceRecordEntity> {
  assertSameWorkspace(caller, id);
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    assertOwner(actor, "transfer ownership");
    if (newOwnerId === actor.userId) throw new FailedPreconditionError("You already own this workspace", "ALREADY_OWNER");
    const target = await unit.members.findByUser(id, newOwnerId);
    if (!target) throw new NotFoundError("Member", newOwnerId);
    // One after another: a transaction's queries share one connection.
    const ownerRole = await unit.roles.findSystem(id, "owner");
    const adminRole = await unit.roles.findSystem(id, "admin");
    const targetRole = await unit.roles.findById(id, target.roleId);
    await unit.workspaces.update(id, { ownerId: newOwnerId });
    await unit.members.setRole(id, newOwnerId, ownerRole!.id);
    await unit.members.setRole(id, actor.userId, adminRole!.id);
    await unit.publish([
      workspaceOwnershipTransferred(id, { workspaceId: id, previousOwnerId: actor.userId, newOwnerId }),
      memberRoleChanged(id, roleChange(newOwnerId, targetRole!, ownerRole!, actor.userId)),
      memberRoleChanged(id, roleChange(actor.userId, ownerRole!, adminRole!, actor.userId)),
    ]);
    await audit(unit, id, actor.origin, {
      action: "workspace.ownership_transferred",
      targetType: "workspace",
      targetId: id,
      details: { previousOwnerId: actor.userId, newOwnerId },
    });
    return (await unit.workspaces.findById(id))!;
  });
}

/** The MemberRoleChangedEvent of a member going from one role to another. */
export function roleChange(userId: string, from: RoleEntity, to: RoleEntity, changedBy: string) {
  return { userId, previousRoleId: from.id, previousRole: roleKeyOf(from), roleId: to.id, role: roleKeyOf(to), changedBy };
}
