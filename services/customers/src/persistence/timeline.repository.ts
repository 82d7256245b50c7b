import type { EntityManager } from "typeorm";
import { newObjectId, pageOf, resolveListParams, runSql, WorkspaceRepository, type ListParams, type Pagination } from "@velaflows/kit";
import { TimelineEntryEntity } from "./timeline-entry.entity";

/** What a timeline entry records. */
export interface NewTimelineEntry {
  customerId: string;
  type: string;
  summary: string;
  data?: Record<string, unknown>;
  actorId?: string | null;
  occurredAt?: Date;
}

/** Timeline entries of one workspace at a time. */
export class TimelineRepository {
  private readonly base: WorkspaceRepository<TimelineEntryEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(TimelineEntryEntity, manager);
  }

  /** Adds entries with one statement and one parameter (an import adds one per row). */
  async add(workspaceId: string, entries: readonly NewTimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = new Date();
    const rows = entries.map((e) => ({
      id: newObjectId(e.occurredAt ?? now),
      customer_id: e.customerId,
      type: e.type,
      summary: e.summary.slice(0, 500),
      data: e.data ?? {},
      actor_id: e.actorId ?? null,
      occurred_at: e.occurredAt ?? now,
    }));
    await runSql(
      this.manager,
      `INSERT INTO "customers"."timeline_entries" ("id", "workspace_id", "customer_id", "type", "summary", "data", "actor_id", "occurred_at", "created_at", "updated_at")
       SELECT r."id", $1, r."customer_id", r."type", r."summary", r."data", r."actor_id", r."occurred_at", $3::timestamptz, $3::timestamptz
         FROM jsonb_to_recordset($2::jsonb) AS r("id" varchar, "customer_id" varchar, "type" varchar, "summary" varchar, "data" jsonb, "actor_id" varchar, "occurred_at" timestamptz)`,
      [workspaceId, JSON.stringify(rows), now],
    );
  }

  /** Newest first. */
  async list(workspaceId: string, customerId: string, types: readonly string[], params: ListParams): Promise<{ items: TimelineEntryEntity[]; pagination: Pagination }> {
    const list = resolveListParams(params, { sortable: { createdAt: "e.occurred_at" }, tieBreaker: "e.id" });
    const query = this.base.query(workspaceId, "e").andWhere("e.customer_id = :customerId", { customerId });
    if (types.length > 0) query.andWhere("e.type IN (:...types)", { types });
    const [items, total] = await query
      .orderBy("e.occurred_at", "DESC")
      .addOrderBy("e.id", "DESC")
      .offset((list.page - 1) * list.limit)
      .limit(list.limit)
      .getManyAndCount();
    return { items, pagination: pageOf(list, total) };
  }

  async moveToCustomer(workspaceId: string, fromIds: readonly string[], toId: string): Promise<void> {
    await runSql(this.manager, `UPDATE "customers"."timeline_entries" SET "customer_id" = $3 WHERE "workspace_id" = $1 AND "customer_id" = ANY($2::varchar[])`, [
      workspaceId,
      fromIds,
      toId,
    ]);
  }

  async deleteOfCustomer(workspaceId: string, customerId: string): Promise<void> {
    await this.base.delete(workspaceId, { customerId });
  }
}
