import { BadRequestError } from "@velaflows/kit";
import type { AuthDeps } from "./deps";
import { permissionsOf, roleKeyOf } from "./system-roles";

/** The answer the gateway authorizes with. */
export interface MembershipAnswer {
  member: boolean;
  role: string;
  roleId: string;
  roleName: string;
  permissions: string[];
  /** The workspace's teams the user is in. */
  teamIds: string[];
}

const NOT_A_MEMBER: MembershipAnswer = { member: false, role: "", roleId: "", roleName: "", permissions: [], teamIds: [] };

/**
 * Whether `userId` is a member of `workspaceId` (a live workspace), with the role and its
 * permissions (["*"] for the owner) and the teams they are in. `callWorkspaceId` (the call's `x-workspace-id`) must name the
 * same workspace: the question stays inside the tenant it is about.
 */
export async function resolveMembership(deps: AuthDeps, callWorkspaceId: string, userId: string, workspaceId: string): Promise<MembershipAnswer> {
  if (callWorkspaceId !== workspaceId) throw new BadRequestError("workspaceId must equal the x-workspace-id metadata", "WORKSPACE_MISMATCH");
  const [role, teamIds] = await Promise.all([deps.store.read.members.roleOf(workspaceId, userId), deps.store.read.teams.teamIdsOf(workspaceId, userId)]);
  if (!role) return NOT_A_MEMBER;
  return { member: true, role: roleKeyOf(role), roleId: role.id, roleName: role.name, permissions: permissionsOf(role), teamIds };
}
