import { ConflictError, isUniqueViolation, newObjectId, NotFoundError, ValidationError, type ListParams, type Pagination } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { TeamMemberEntity } from "../persistence/team-member.entity";
import type { TeamEntity } from "../persistence/team.entity";
import type { UserEntity } from "../persistence/user.entity";
import { lockActor, resolveActor, type Caller } from "./actor";
import { audit } from "./audit";
import type { AuthDeps } from "./deps";

/** A team with its member count, as the API shows it. */
export interface TeamView {
  team: TeamEntity;
  memberCount: number;
}

export async function listTeams(deps: AuthDeps, caller: Caller, params: ListParams): Promise<{ items: TeamView[]; pagination: Pagination }> {
  await resolveActor(deps.store.read, caller);
  const page = await deps.store.read.teams.list(caller.workspaceId, params);
  const counts = await deps.store.read.teams.memberCounts(caller.workspaceId, page.items.map((t) => t.id));
  return { items: page.items.map((team) => ({ team, memberCount: counts.get(team.id) ?? 0 })), pagination: page.pagination };
}

export async function getTeam(deps: AuthDeps, caller: Caller, id: string): Promise<TeamView> {
  await resolveActor(deps.store.read, caller);
  return teamView(deps.store.read, await mustFindTeam(deps.store.read, caller.workspaceId, id));
}

/** Creates a team, optionally with members (who must belong to the workspace). */
export async function createTeam(deps: AuthDeps, caller: Caller, input: { name: string; description: string; userIds: string[] }): Promise<TeamView> {
  const name = cleanTeamName(input.name, "name");
  return withUniqueName(name, () =>
    deps.store.transaction(async (unit) => {
      const actor = await lockActor(unit, caller);
      await assertMembers(unit, caller.workspaceId, input.userIds, "userIds");
      const team = await unit.teams.insert(caller.workspaceId, { id: newObjectId(), name, nameKey: name.toLowerCase(), description: input.description.trim() });
      await unit.teams.addMembers(caller.workspaceId, team.id, input.userIds, actor.userId);
      await audit(unit, caller.workspaceId, actor.origin, { action: "team.created", targetType: "team", targetId: team.id, details: { name, userIds: [...new Set(input.userIds)] } });
      return teamView(unit, (await unit.teams.findById(caller.workspaceId, team.id))!);
    }),
  );
}

export const UPDATABLE_TEAM_FIELDS = ["name", "description"] as const;
export type UpdatableTeamField = (typeof UPDATABLE_TEAM_FIELDS)[number];

export async function updateTeam(deps: AuthDeps, caller: Caller, id: string, fields: readonly UpdatableTeamField[], changes: { name: string; description: string }): Promise<TeamView> {
  const patch: Partial<TeamEntity> = {};
  if (fields.includes("name")) {
    patch.name = cleanTeamName(changes.name, "team.name");
    patch.nameKey = patch.name.toLowerCase();
  }
  if (fields.includes("description")) patch.description = changes.description.trim();
  return withUniqueName(patch.name ?? "", () =>
    deps.store.transaction(async (unit) => {
      const actor = await lockActor(unit, caller);
      const team = await mustFindTeam(unit, caller.workspaceId, id);
      const changed = (["name", "description"] as const).filter((key) => patch[key] !== undefined && patch[key] !== team[key]);
      if (changed.length === 0) return teamView(unit, team);
      await unit.teams.update(caller.workspaceId, id, patch);
      await audit(unit, caller.workspaceId, actor.origin, {
        action: "team.updated",
        targetType: "team",
        targetId: id,
        details: Object.fromEntries(changed.map((key) => [key, { from: team[key], to: patch[key] }])),
      });
      return teamView(unit, (await unit.teams.findById(caller.workspaceId, id))!);
    }),
  );
}

export async function deleteTeam(deps: AuthDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    const team = await mustFindTeam(unit, caller.workspaceId, id);
    await unit.teams.delete(caller.workspaceId, id);
    await audit(unit, caller.workspaceId, actor.origin, { action: "team.deleted", targetType: "team", targetId: id, details: { name: team.name } });
  });
}

export async function listTeamMembers(deps: AuthDeps, caller: Caller, id: string): Promise<{ member: TeamMemberEntity; user?: UserEntity }[]> {
  await resolveActor(deps.store.read, caller);
  await mustFindTeam(deps.store.read, caller.workspaceId, id);
  const members = await deps.store.read.teams.listMembers(caller.workspaceId, id);
  const users = new Map((await deps.store.read.users.findByIds(members.map((m) => m.userId))).map((u) => [u.id, u]));
  return members.map((member) => ({ member, user: users.get(member.userId) }));
}

export async function addTeamMembers(deps: AuthDeps, caller: Caller, id: string, userIds: string[]): Promise<{ team: TeamView; added: number }> {
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    await mustFindTeam(unit, caller.workspaceId, id);
    await assertMembers(unit, caller.workspaceId, userIds, "userIds");
    const added = await unit.teams.addMembers(caller.workspaceId, id, userIds, actor.userId);
    if (added > 0) {
      await audit(unit, caller.workspaceId, actor.origin, { action: "team.members_added", targetType: "team", targetId: id, details: { userIds: [...new Set(userIds)] } });
    }
    return { team: await teamView(unit, (await unit.teams.findById(caller.workspaceId, id))!), added };
  });
}

export async function removeTeamMember(deps: AuthDeps, caller: Caller, id: string, userId: string): Promise<boolean> {
  return deps.store.transaction(async (unit) => {
    const actor = await lockActor(unit, caller);
    await mustFindTeam(unit, caller.workspaceId, id);
    const removed = (await unit.teams.removeMember(caller.workspaceId, id, userId)) > 0;
    if (removed) await audit(unit, caller.workspaceId, actor.origin, { action: "team.member_removed", targetType: "team", targetId: id, details: { userId } });
    return removed;
  });
}

async function teamView(source: Pick<AuthUnit, "teams">, team: TeamEntity): Promise<TeamView> {
  const counts = await source.teams.memberCounts(team.workspaceId, [team.id]);
  return { team, memberCount: counts.get(team.id) ?? 0 };
}

async function mustFindTeam(source: Pick<AuthUnit, "teams">, workspaceId: string, id: string): Promise<TeamEntity> {
  const team = await source.teams.findById(workspaceId, id);
  if (!team) throw new NotFoundError("Team", id);
  return team;
}

// Only members of the workspace can be in its teams; each outsider is named by its index.
async function assertMembers(unit: AuthUnit, workspaceId: string, userIds: readonly string[], path: string): Promise<void> {
  const members = new Set((await unit.members.findByUsers(workspaceId, userIds)).map((m) => m.userId));
  const violations = userIds.flatMap((userId, i) => (members.has(userId) ? [] : [{ path: `${path}[${i}]`, message: "is not a member of this workspace" }]));
  if (violations.length > 0) throw new ValidationError(violations);
}

function cleanTeamName(name: string, path: string): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "teams_workspace_name_key")) throw new ConflictError(`A team named "${name}" already exists`, "TEAM_NAME_TAKEN");
    throw error;
  }
}
