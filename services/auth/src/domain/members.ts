import { FailedPreconditionError, ForbiddenError, NotFoundError, type ListParams, type Pagination, grantsAll } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import { assertMayHandOut, lockActor, resolveActor, type Actor, type Caller } from "./actor";
import { audit } from "./audit";
import { memberRemoved, memberRoleChanged } from "./auth-events";
import type { AuthDeps } from "./deps";
import { memberView, memberViews, type MemberView } from "./member-views";
import { permissionsOf, roleKeyOf } from "./system-roles";
import { roleChange } from "./workspaces";

export async function listMembers(deps: AuthDeps, caller: Caller, filter: { roleId?: string }, params: ListParams): Promise<{ items: MemberView[]; pagination: Pagination }> {
  await resolveActor(deps.store.read, caller);
  const page = await deps.store.read.members.list(caller.workspaceId, filter, params);
  return { items: await memberViews(deps.store.read, caller.workspaceId, page.items), pagination: page.pagination };
}

export async function getMember(deps: AuthDeps, caller: Caller, userId: string): Promise<MemberView> {
  await resolveActor(deps.store.read, caller);
  const member = await deps.store.read.members.findByUser(caller.workspaceId, userId);
  if (!member) throw new NotFoundError("Member", userId);
  return memberView(deps.store.read, member);
}

/** Gives a member another role. The owner's role never changes here (see transferOwnership). */
export async function changeMemberRole(deps: AuthDeps, caller: Caller, userId: string, roleId: string): Promise<MemberView> {
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const target = await mustFindMember(unit, caller.workspaceId, userId);
    if (actor.workspace.ownerId === userId) {
      throw new FailedPreconditionError("The owner's role cannot be changed: transfer ownership first", "OWNER_ROLE_LOCKED");
    }
    const role = await unit.roles.findById(caller.workspaceId, roleId);
    if (!role) throw new NotFoundError("Role", roleId);
    assertMayHandOut(actor, role, "assign");
    const current = await unit.roles.findById(caller.workspaceId, target.roleId);
    assertMayManage(actor, permissionsOf(current!));
    if (current!.id === role.id) return memberView(unit, target);
    await unit.members.setRole(caller.workspaceId, userId, role.id);
    await unit.publish([memberRoleChanged(caller.workspaceId, roleChange(userId, current!, role, actor.userId))]);
    await audit(unit, caller.workspaceId, actor.origin, {
      action: "member.role_changed",
      targetType: "member",
      targetId: userId,
      details: { from: { roleId: current!.id, role: roleKeyOf(current!) }, to: { roleId: role.id, role: roleKeyOf(role) } },
    });
    return memberView(unit, (await unit.members.findByUser(caller.workspaceId, userId))!);
  });
}

/** Removes a member (and their team memberships). The owner cannot be removed. */
export async function removeMember(deps: AuthDeps, caller: Caller, userId: string): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const target = await mustFindMember(unit, caller.workspaceId, userId);
    if (actor.workspace.ownerId === userId) throw new FailedPreconditionError("The owner cannot be removed: transfer ownership first", "OWNER_CANNOT_BE_REMOVED");
    const role = await unit.roles.findById(caller.workspaceId, target.roleId);
    assertMayManage(actor, permissionsOf(role!));
    await dropMembership(unit, actor, userId, userId === actor.userId ? "left" : "removed");
  });
}

/** The caller leaves the workspace. The owner must transfer ownership first. */
export async function leaveWorkspace(deps: AuthDeps, caller: Caller): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    if (actor.isOwner) throw new FailedPreconditionError("The owner cannot leave the workspace: transfer ownership first", "OWNER_CANNOT_LEAVE");
    await dropMembership(unit, actor, actor.userId, "left");
  });
}

async function dropMembership(unit: AuthUnit, actor: Actor, userId: string, reason: "left" | "removed"): Promise<void> {
  const workspaceId = actor.workspace.id;
  await unit.teams.removeUserEverywhere(workspaceId, userId);
  await unit.members.delete(workspaceId, userId);
  await unit.publish([memberRemoved(workspaceId, { userId, reason, removedBy: reason === "removed" ? actor.userId : "" })]);
  await audit(unit, workspaceId, actor.origin, { action: reason === "left" ? "member.left" : "member.removed", targetType: "member", targetId: userId });
}

async function mustFindMember(unit: AuthUnit, workspaceId: string, userId: string) {
  const member = await unit.members.findByUser(workspaceId, userId);
  if (!member) throw new NotFoundError("Member", userId);
  return member;
}

// Changing or removing a member needs every permission their role holds: an admin-like custom
// role cannot demote or remove an admin.
function assertMayManage(actor: Actor, targetPermissions: readonly string[]): void {
  if (!grantsAll(actor.permissions, targetPermissions)) throw new ForbiddenError("You cannot change a member whose role has permissions you do not hold");
}
