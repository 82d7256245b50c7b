import { ForbiddenError, UnauthenticatedError, grants, grantsAll, intersectPermissions, parsePermission } from "@velaflows/kit";
import type { AuthStore, AuthUnit } from "../persistence/auth-store";
import type { MemberEntity } from "../persistence/member.entity";
import type { RoleEntity } from "../persistence/role.entity";
import type { WorkspaceRecordEntity } from "../persistence/workspace-record.entity";
import type { CallOrigin } from "./origin";
import { permissionsOf } from "./system-roles";

/** The caller of a workspace-scoped call, as this service knows it. */
export interface Actor {
  workspace: WorkspaceRecordEntity;
  userId: string;
  member: MemberEntity;
  role: RoleEntity;
  /** What the caller may do here: the role's permissions, narrowed by the gateway's `x-permissions` when sent. */
  permissions: string[];
  isOwner: boolean;
  origin: CallOrigin;
}

/** A workspace-scoped call as the gateway described it, before this service checked anything. */
export interface Caller {
  workspaceId: string;
  /** `x-user-id`; for an API token, the user it acts for. */
  userId?: string;
  /** The method's declared `access`. */
  access: string;
  /** `x-permissions`, when the gateway sent it (a token's scopes applied). */
  gatewayPermissions: readonly string[];
  origin: CallOrigin;
}

export const NOT_A_MEMBER = "The caller is not a member of this workspace";

/**
 * Establishes who acts in the caller's workspace and checks the method's declared `access`
 * against their role, from this service's own records. The gateway checked the same before
 * calling; checking again here keeps a direct call (or a stale gateway cache) from acting beyond
 * the role. The gateway's permissions can only narrow the role's.
 */
export async function resolveActor(source: AuthStore["read"] | AuthUnit, caller: Caller): Promise<Actor> {
  const { workspaceId, userId } = caller;
  if (!userId) throw new UnauthenticatedError("x-user-id metadata is required");
  const workspace = await source.workspaces.findById(workspaceId);
  const member = workspace ? await source.members.findByUser(workspaceId, userId) : null;
  const role = member ? await source.roles.findById(workspaceId, member.roleId) : null;
  if (!workspace || !member || !role) throw new ForbiddenError(NOT_A_MEMBER);
  const held = permissionsOf(role);
  const permissions = caller.gatewayPermissions.length > 0 ? intersectPermissions(held, caller.gatewayPermissions) : held;
  if (parsePermission(caller.access) && !grants(permissions, caller.access)) throw new ForbiddenError(`Missing permission "${caller.access}"`);
  return { workspace, userId, member, role, permissions, isOwner: workspace.ownerId === userId, origin: caller.origin };
}

/**
 * Locks the caller's workspace for the rest of the transaction, then resolves the actor: every
 * change to ownership, members and roles runs this first, so it decides on facts no concurrent
 * change can alter before it commits.
 */
export async function lockActor(unit: AuthUnit, caller: Caller): Promise<Actor> {
  if (!(await unit.workspaces.lock(caller.workspaceId))) throw new ForbiddenError(NOT_A_MEMBER);
  return resolveActor(unit, caller);
}

/** Refuses unless the actor holds every permission of `role` (nobody hands out more than they hold). */
export function assertMayHandOut(actor: Actor, role: RoleEntity, what: string): void {
  if (role.systemKey === "owner") throw new ForbiddenError("The owner role moves only by transferring ownership");
  if (!grantsAll(actor.permissions, permissionsOf(role))) {
    throw new ForbiddenError(`You cannot ${what} a role with permissions you do not hold`);
  }
}

/** Refuses unless the actor is the workspace's owner. */
export function assertOwner(actor: Actor, what: string): void {
  if (!actor.isOwner) throw new ForbiddenError(`Only the owner can ${what}`);
}
