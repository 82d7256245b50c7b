import type { EntityManager } from "typeorm";
import { paginate, pageOf, resolveListParams, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { ActivityEntity } from "./entities";

const ACTIVITY_LIST: ListSpec = { sortable: { occurredAt: "a.occurred_at" }, defaultSortBy: "occurredAt", tieBreaker: "a.id" };

/** One row of a lead's timeline, before its entity is loaded. */
export interface TimelineRow {
  kind: "activity" | "stage_change" | "task";
  id: string;
  at: Date;
}

/** Activities of one workspace at a time, and the timeline query that merges them with stage changes and tasks. */
export class ActivityRepository {
  private readonly base: WorkspaceRepository<ActivityEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(ActivityEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<ActivityEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<ActivityEntity[]> {
    return this.base.findByIds(workspaceId, ids);
  }

  insert(workspaceId: string, activity: Partial<ActivityEntity>): Promise<ActivityEntity> {
    return this.base.insert(workspaceId, activity);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /** A lead's activities, newest first, optionally of one type. */
  forLead(workspaceId: string, leadId: string, type: string | undefined, params: ListParams): Promise<{ items: ActivityEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "a").andWhere("a.lead_id = :leadId", { leadId });
    if (type) query.andWhere("a.type = :type", { type });
    return paginate(query, { page: params.page, limit: params.limit }, ACTIVITY_LIST);
  }

  /** One page of a lead's activities, stage changes and tasks together, newest first. */
  async timeline(workspaceId: string, leadId: string, params: ListParams): Promise<{ rows: TimelineRow[]; pagination: Pagination }> {
    if (!workspaceId) throw new Error("Refusing a query without a workspace id");
    const list = resolveListParams({ page: params.page, limit: params.limit }, ACTIVITY_LIST);
    const entries = `
      SELECT 'activity' AS "kind", "id", "occurred_at" AS "at" FROM "crm"."activities" WHERE "workspace_id" = $1 AND "lead_id" = $2
      UNION ALL
      SELECT 'stage_change', "id", "changed_at" FROM "crm"."stage_changes" WHERE "workspace_id" = $1 AND "lead_id" = $2
      UNION ALL
      SELECT 'task', "id", "created_at" FROM "crm"."tasks" WHERE "workspace_id" = $1 AND "lead_id" = $2`;
    const { rows } = await runSql<TimelineRow>(this.manager, `SELECT * FROM (${entries}) AS e ORDER BY "at" DESC, "id" DESC LIMIT $3 OFFSET $4`, [
      workspaceId,
      leadId,
      list.limit,
      (list.page - 1) * list.limit,
    ]);
    const { rows: counted } = await runSql<{ total: string }>(this.manager, `SELECT count(*) AS "total" FROM (${entries}) AS e`, [workspaceId, leadId]);
    return { rows: rows.map((row) => ({ ...row, at: new Date(row.at) })), pagination: pageOf(list, Number(counted[0]!.total)) };
  }
}
