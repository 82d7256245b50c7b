import type { EntityManager } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { newObjectId, paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { TeamMemberEntity } from "./team-member.entity";
import { TeamEntity } from "./team.entity";

const TEAM_LIST: ListSpec = {
  sortable: { createdAt: "t.created_at", name: "t.name_key" },
  searchable: ["t.name", "t.description"],
  tieBreaker: "t.id",
};

/** Teams and their members, one workspace at a time. */
export class TeamsRepository {
  private readonly teams: WorkspaceRepository<TeamEntity>;
  private readonly members: WorkspaceRepository<TeamMemberEntity>;

  constructor(private readonly manager: EntityManager) {
    this.teams = new WorkspaceRepository(TeamEntity, manager);
    this.members = new WorkspaceRepository(TeamMemberEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<TeamEntity | null> {
    return this.teams.findById(workspaceId, id);
  }

  insert(workspaceId: string, team: Partial<TeamEntity>): Promise<TeamEntity> {
    return this.teams.insert(workspaceId, team);
  }

  async update(workspaceId: string, id: string, patch: QueryDeepPartialEntity<TeamEntity>): Promise<void> {
    await this.teams.update(workspaceId, { id }, patch);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.members.delete(workspaceId, { teamId: id });
    await this.teams.delete(workspaceId, { id });
  }

  list(workspaceId: string, params: ListParams): Promise<{ items: TeamEntity[]; pagination: Pagination }> {
    return paginate(this.teams.query(workspaceId, "t"), params, TEAM_LIST);
  }

  /** Member counts of the given teams. */
  async memberCounts(workspaceId: string, teamIds: readonly string[]): Promise<Map<string, number>> {
    if (teamIds.length === 0) return new Map();
    const rows = await this.members
      .query(workspaceId, "tm")
      .select("tm.team_id", "team_id")
      .addSelect("count(*)::int", "count")
      .andWhere("tm.team_id IN (:...teamIds)", { teamIds: [...teamIds] })
      .groupBy("tm.team_id")
      .getRawMany<{ team_id: string; count: number }>();
    return new Map(rows.map((r) => [r.team_id, Number(r.count)]));
  }

  listMembers(workspaceId: string, teamId: string): Promise<TeamMemberEntity[]> {
    return this.members.find(workspaceId, { teamId }, { order: { createdAt: "ASC", id: "ASC" } });
  }

  /** The teams `userId` belongs to in the workspace, in id order. */
  async teamIdsOf(workspaceId: string, userId: string): Promise<string[]> {
    const rows = await this.members.find(workspaceId, { userId }, { order: { teamId: "ASC" } });
    return rows.map((row) => row.teamId);
  }

  /** Adds users not yet in the team; returns how many were added. */
  async addMembers(workspaceId: string, teamId: string, userIds: readonly string[], addedBy: string | null): Promise<number> {
    if (userIds.length === 0) return 0;
    const now = new Date();
    const unique = [...new Set(userIds)];
    const { affected } = await runSql(
      this.manager,
      `INSERT INTO "auth"."team_members" ("id", "workspace_id", "team_id", "user_id", "added_by", "created_at", "updated_at")
       SELECT k.id, $1, $2, k.user_id, $3, $4, $4 FROM unnest($5::varchar[], $6::varchar[]) AS k(id, user_id)
       ON CONFLICT ("workspace_id", "team_id", "user_id") DO NOTHING`,
      [workspaceId, teamId, addedBy, now, unique.map(() => newObjectId(now)), unique],
    );
    return affected;
  }

  removeMember(workspaceId: string, teamId: string, userId: string): Promise<number> {
    return this.members.delete(workspaceId, { teamId, userId });
  }

  /** Takes a user out of every team of the workspace (they left it). */
  removeUserEverywhere(workspaceId: string, userId: string): Promise<number> {
    return this.members.delete(workspaceId, { userId });
  }
}
