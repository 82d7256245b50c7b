import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { MacroEntity } from "./macro.entity";

const MACRO_LIST: ListSpec = {
  sortable: {
    createdAt: "m.created_at",
    updatedAt: "m.updated_at",
    name: "lower(m.name)",
    shortCode: "m.short_code",
    usageCount: "m.usage_count",
    lastUsedAt: "COALESCE(m.last_used_at, '-infinity')",
  },
  searchable: ["m.name", "m.short_code", "m.body"],
  tieBreaker: "m.id",
};

/** Who is looking: personal macros are visible only to the user who created them. */
/** Who is looking: what decides which personal and team macros they see. */
export interface Viewer {
  /** Sees their own personal macros. */
  userId?: string;
  /** Sees the team macros of these teams... */
  teamIds: readonly string[];
  /** ...or of every team (macros:manage). */
  allTeams: boolean;
}

export interface MacroFilter {
  visibility?: string;
  teamId?: string;
  kind?: "quick_reply" | "multi_action";
}

/** Macros of one workspace at a time, as one viewer sees them. */
export class MacroRepository {
  private readonly base: WorkspaceRepository<MacroEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(MacroEntity, manager);
  }

  async findVisible(workspaceId: string, viewer: Viewer, where: { id: string } | { shortCode: string }): Promise<MacroEntity | null> {
    const query = this.visibleQuery(workspaceId, viewer);
    if ("id" in where) query.andWhere("m.id = :id", { id: where.id });
    else query.andWhere("m.short_code = :shortCode", { shortCode: where.shortCode });
    return query.getOne();
  }

  insert(workspaceId: string, macro: Partial<MacroEntity>): Promise<MacroEntity> {
    return this.base.insert(workspaceId, macro);
  }

  async update(workspaceId: string, id: string, patch: Partial<MacroEntity>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch as never);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /** Counts `uses` uses now. */
  async recordUses(workspaceId: string, id: string, uses: number): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "macros"."macros" SET "usage_count" = "usage_count" + $3, "last_used_at" = now() WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, id, uses],
    );
  }

  list(workspaceId: string, viewer: Viewer, filter: MacroFilter, params: ListParams): Promise<{ items: MacroEntity[]; pagination: Pagination }> {
    const query = this.visibleQuery(workspaceId, viewer);
    if (filter.visibility) query.andWhere("m.visibility = :visibility", { visibility: filter.visibility });
    if (filter.teamId) query.andWhere("m.team_id = :teamId", { teamId: filter.teamId });
    if (filter.kind === "quick_reply") query.andWhere("jsonb_array_length(m.actions) = 0");
    if (filter.kind === "multi_action") query.andWhere("jsonb_array_length(m.actions) > 0");
    return paginate(query, params, MACRO_LIST);
  }

  private visibleQuery(workspaceId: string, viewer: Viewer): SelectQueryBuilder<MacroEntity> {
    const query = this.base.query(workspaceId, "m");
    const personal = viewer.userId ? "(m.visibility = 'personal' AND m.created_by = :viewerId)" : "false";
    const team = viewer.allTeams ? "m.visibility = 'team'" : viewer.teamIds.length > 0 ? "(m.visibility = 'team' AND m.team_id IN (:...teamIds))" : "false";
    query.andWhere(`(m.visibility = 'workspace' OR ${personal} OR ${team})`, { viewerId: viewer.userId, teamIds: viewer.teamIds });
    return query;
  }
}
