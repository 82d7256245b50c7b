import type { EntityManager } from "typeorm";
import { paginate, resolveListParams, pageOf, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { LeadEntity } from "./entities";
import type { TotalsDelta } from "./stage-totals";

const LEAD_LIST: ListSpec = {
  sortable: {
    createdAt: "l.created_at",
    updatedAt: "l.updated_at",
    value: "l.value",
    score: "l.score",
    expectedCloseDate: "l.expected_close_date",
    stageEnteredAt: "l.stage_entered_at",
  },
  searchable: ["l.first_name", "l.last_name", "l.email", "l.phone", "l.company"],
  tieBreaker: "l.id",
};

/** Conditions on leads; every one given must hold. */
export interface LeadFilter {
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  status?: string;
  tagId?: string;
  customerId?: string;
  minValue?: string;
  maxValue?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Custom property values by key, compared as text. */
  customProperties?: [string, string][];
}

/** Open leads of one close month, stage and currency. */
export interface ForecastRowData {
  month: string;
  stageId: string;
  currency: string;
  leadCount: number;
  value: string;
  weightedValue: string;
}

/** One stage's count and value sum in one currency. */
export interface StageTotals {
  stageId: string;
  currency: string;
  count: number;
  amount: string;
}

export type LeadPatch = Partial<
  Pick<
    LeadEntity,
    | "firstName"
    | "lastName"
    | "email"
    | "phone"
    | "company"
    | "source"
    | "ownerId"
    | "value"
    | "currency"
    | "expectedCloseDate"
    | "lostReason"
    | "score"
    | "country"
    | "tagIds"
    | "customProperties"
    | "customerId"
    | "pipelineId"
    | "stageId"
    | "status"
    | "stageEnteredAt"
    | "closedAt"
  >
>;

/** Leads of one workspace at a time. */
export class LeadRepository {
  private readonly base: WorkspaceRepository<LeadEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(LeadEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<LeadEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  /** The leads with these ids, locked for update in id order (so concurrent bulk calls cannot deadlock). */
  lockByIds(workspaceId: string, ids: readonly string[]): Promise<LeadEntity[]> {
    return this.base
      .query(workspaceId, "l")
      .andWhere("l.id IN (:...ids)", { ids: [...ids] })
      .orderBy("l.id", "ASC")
      .setLock("pessimistic_write")
      .getMany();
  }

  insert(workspaceId: string, lead: Partial<LeadEntity>): Promise<LeadEntity> {
    return this.base.insert(workspaceId, lead);
  }

  async update(workspaceId: string, id: string, patch: LeadPatch): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  /** Updates a lead this transaction holds locked and returns it as it now is, without reading it back. */
  updateLocked(workspaceId: string, locked: LeadEntity, patch: LeadPatch): Promise<LeadEntity> {
    return this.base.updateLocked(workspaceId, locked, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  countInStage(workspaceId: string, stageId: string): Promise<number> {
    return this.base.count(workspaceId, { stageId });
  }

  /** One page of the workspace's leads matching `filter`. */
  async list(workspaceId: string, filter: LeadFilter, params: ListParams): Promise<{ items: LeadEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "l");
    if (filter.pipelineId) query.andWhere("l.pipeline_id = :pipelineId", { pipelineId: filter.pipelineId });
    if (filter.stageId) query.andWhere("l.stage_id = :stageId", { stageId: filter.stageId });
    if (filter.ownerId) query.andWhere("l.owner_id = :ownerId", { ownerId: filter.ownerId });
    if (filter.status) query.andWhere("l.status = :status", { status: filter.status });
    if (filter.tagId) query.andWhere(":tagId = ANY(l.tag_ids)", { tagId: filter.tagId });
    if (filter.customerId) query.andWhere("l.customer_id = :customerId", { customerId: filter.customerId });
    if (filter.minValue !== undefined) query.andWhere("l.value >= :minValue", { minValue: filter.minValue });
    if (filter.maxValue !== undefined) query.andWhere("l.value <= :maxValue", { maxValue: filter.maxValue });
    if (filter.createdAfter) query.andWhere("l.created_at >= :createdAfter", { createdAfter: filter.createdAfter });
    if (filter.createdBefore) query.andWhere("l.created_at < :createdBefore", { createdBefore: filter.createdBefore });
    (filter.customProperties ?? []).forEach(([key, value], i) => {
      query.andWhere(`l.custom_properties ->> :cpKey${i} = :cpValue${i}`, { [`cpKey${i}`]: key, [`cpValue${i}`]: value });
    });
    if (!countableFromTotals(filter, params)) return paginate(query, params, LEAD_LIST);
    // Only pipeline, stage and status conditions: the total comes from the stage counters instead
    // of counting every matching lead.
    const list = resolveListParams(params, LEAD_LIST);
    const [items, total] = await Promise.all([
      query
        .orderBy(LEAD_LIST.sortable[list.sortBy]!, list.sortOrder)
        .addOrderBy(LEAD_LIST.tieBreaker, list.sortOrder)
        .offset((list.page - 1) * list.limit)
        .limit(list.limit)
        .getMany(),
      this.countFromTotals(workspaceId, filter),
    ]);
    return { items, pagination: pageOf(list, total) };
  }

  /** Leads matching pipeline, stage and status conditions, summed from the stage counters. */
  private async countFromTotals(workspaceId: string, filter: LeadFilter): Promise<number> {
    const { rows } = await runSql<{ total: string }>(
      this.manager,
      `SELECT coalesce(sum(t."lead_count"), 0)::text AS "total"
         FROM "crm"."stage_totals" t
         JOIN "crm"."stages" s ON s."workspace_id" = t."workspace_id" AND s."id" = t."stage_id"
        WHERE t."workspace_id" = $1
          AND ($2::varchar IS NULL OR t."pipeline_id" = $2)
          AND ($3::varchar IS NULL OR t."stage_id" = $3)
          AND ($4::varchar IS NULL OR (CASE WHEN s."is_won" THEN 'won' WHEN s."is_lost" THEN 'lost' ELSE 'open' END) = $4)`,
      [workspaceId, filter.pipelineId ?? null, filter.stageId ?? null, filter.status ?? null],
    );
    return Number(rows[0]!.total);
  }

  /** Applies the counter changes of a transaction (rows locked in key order). */
  async adjustTotals(workspaceId: string, delta: TotalsDelta): Promise<void> {
    const entries = delta.entries();
    if (entries.length === 0) return;
    await runSql(
      this.manager,
      `INSERT INTO "crm"."stage_totals" AS t ("workspace_id", "pipeline_id", "stage_id", "currency", "lead_count", "value_sum")
       SELECT $1, d.pipeline_id, d.stage_id, d.currency, d.lead_count, d.value_sum
         FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::bigint[], $6::numeric[]) AS d(pipeline_id, stage_id, currency, lead_count, value_sum)
       ON CONFLICT ("workspace_id", "stage_id", "currency")
       DO UPDATE SET "lead_count" = t."lead_count" + excluded."lead_count", "value_sum" = t."value_sum" + excluded."value_sum"`,
      [
        workspaceId,
        entries.map((e) => e.pipelineId),
        entries.map((e) => e.stageId),
        entries.map((e) => e.currency),
        entries.map((e) => e.count),
        entries.map((e) => e.amount.toString()),
      ],
    );
  }

  /** Drops the (zero) counters of a deleted stage. */
  async deleteStageTotals(workspaceId: string, stageId: string): Promise<void> {
    await runSql(this.manager, `DELETE FROM "crm"."stage_totals" WHERE "workspace_id" = $1 AND "stage_id" = $2`, [workspaceId, stageId]);
  }

  /**
   * Open leads of a pipeline grouped by expected close month, stage and currency, with values
   * weighted by the stage's probability. `fromDate`/`toDate` bound the close date (inclusive,
   * "YYYY-MM-DD"); with either bound, undated leads drop out.
   */
  async forecast(workspaceId: string, pipelineId: string, range: { fromDate?: string; toDate?: string; ownerId?: string }): Promise<ForecastRowData[]> {
    const { rows } = await runSql<{ month: string | null; stage_id: string; currency: string; lead_count: string; value: string; weighted_value: string }>(
      this.manager,
      `SELECT to_char(l."expected_close_date", 'YYYY-MM') AS "month", l."stage_id", l."currency",
              count(*) AS "lead_count", sum(l."value")::text AS "value",
              round(sum(l."value"::numeric * s."probability") / 100)::bigint::text AS "weighted_value"
         FROM "crm"."leads" l
         JOIN "crm"."stages" s ON s."workspace_id" = l."workspace_id" AND s."id" = l."stage_id"
        WHERE l."workspace_id" = $1 AND l."pipeline_id" = $2 AND l."status" = 'open'
          AND ($3::date IS NULL OR l."expected_close_date" >= $3::date)
          AND ($4::date IS NULL OR l."expected_close_date" <= $4::date)
          AND ($5::varchar IS NULL OR l."owner_id" = $5)
        GROUP BY 1, l."stage_id", l."currency"`,
      [workspaceId, pipelineId, range.fromDate ?? null, range.toDate ?? null, range.ownerId ?? null],
    );
    return rows.map((row) => ({
      month: row.month ?? "",
      stageId: row.stage_id,
      currency: row.currency,
      leadCount: Number(row.lead_count),
      value: row.value,
      weightedValue: row.weighted_value,
    }));
  }

  /** Up to `max` leads matching pipeline, stage, owner and status conditions, oldest first. */
  exportRows(workspaceId: string, filter: Pick<LeadFilter, "pipelineId" | "stageId" | "ownerId" | "status">, max: number): Promise<LeadEntity[]> {
    const query = this.base.query(workspaceId, "l");
    if (filter.pipelineId) query.andWhere("l.pipeline_id = :pipelineId", { pipelineId: filter.pipelineId });
    if (filter.stageId) query.andWhere("l.stage_id = :stageId", { stageId: filter.stageId });
    if (filter.ownerId) query.andWhere("l.owner_id = :ownerId", { ownerId: filter.ownerId });
    if (filter.status) query.andWhere("l.status = :status", { status: filter.status });
    return query.orderBy("l.created_at", "ASC").addOrderBy("l.id", "ASC").limit(max).getMany();
  }

  /** Lead counts and value sums per stage and currency of one pipeline (from the counters unless filtered by owner). */
  async stageTotals(workspaceId: string, pipelineId: string, ownerId: string | undefined): Promise<StageTotals[]> {
    if (!ownerId) {
      const { rows: kept } = await runSql<{ stage_id: string; currency: string; count: string; amount: string }>(
        this.manager,
        `SELECT "stage_id", "currency", "lead_count"::text AS "count", "value_sum"::text AS "amount"
           FROM "crm"."stage_totals"
          WHERE "workspace_id" = $1 AND "pipeline_id" = $2 AND "lead_count" > 0
          ORDER BY "stage_id", "currency"`,
        [workspaceId, pipelineId],
      );
      return kept.map((row) => ({ stageId: row.stage_id, currency: row.currency, count: Number(row.count), amount: row.amount }));
    }
    const { rows } = await runSql<{ stage_id: string; currency: string; count: string; amount: string }>(
      this.manager,
      `SELECT "stage_id", "currency", count(*) AS "count", sum("value")::text AS "amount"
         FROM "crm"."leads"
        WHERE "workspace_id" = $1 AND "pipeline_id" = $2 AND ($3::varchar IS NULL OR "owner_id" = $3)
        GROUP BY "stage_id", "currency"
        ORDER BY "stage_id", "currency"`,
      [workspaceId, pipelineId, ownerId ?? null],
    );
    return rows.map((row) => ({ stageId: row.stage_id, currency: row.currency, count: Number(row.count), amount: row.amount }));
  }

  /**
   * The first `perStage` leads (newest first) of each stage of the pipeline, plus one to tell
   * whether there are more, in one statement: one index range scan per stage on
   * leads_workspace_board picks the ids, then the rows come by primary key.
   */
  async boardLeads(workspaceId: string, pipelineId: string, perStage: number, ownerId: string | undefined): Promise<LeadEntity[]> {
    // Whole rows hydrated by the column metadata: the board's hottest read, without the query
    // builder's alias mapping of every column of every lead.
    const leads = await this.base.selectRows(
      workspaceId,
      `SELECT l.* FROM "crm"."leads" l
        WHERE l."workspace_id" = $1 AND l."id" IN (
          SELECT b."id" FROM "crm"."stages" s CROSS JOIN LATERAL (
            SELECT "id" FROM "crm"."leads"
             WHERE "workspace_id" = s."workspace_id" AND "pipeline_id" = s."pipeline_id" AND "stage_id" = s."id"
               AND ($4::varchar IS NULL OR "owner_id" = $4)
             ORDER BY "created_at" DESC, "id" DESC
             LIMIT $3) AS b
           WHERE s."workspace_id" = $1 AND s."pipeline_id" = $2)`,
      [pipelineId, perStage + 1, ownerId ?? null],
    );
    return leads.sort(newestFirst);
  }

  /** One page of one stage's leads, newest first. */
  async stagePage(workspaceId: string, pipelineId: string, stageId: string, ownerId: string | undefined, params: ListParams) {
    const list = resolveListParams({ page: params.page, limit: params.limit }, LEAD_LIST);
    const query = this.base
      .query(workspaceId, "l")
      .andWhere("l.pipeline_id = :pipelineId AND l.stage_id = :stageId", { pipelineId, stageId });
    if (ownerId) query.andWhere("l.owner_id = :ownerId", { ownerId });
    const [items, total] = await query
      .orderBy("l.created_at", "DESC")
      .addOrderBy("l.id", "DESC")
      .offset((list.page - 1) * list.limit)
      .limit(list.limit)
      .getManyAndCount();
    return { items, pagination: pageOf(list, total) };
  }
}

function countableFromTotals(filter: LeadFilter, params: ListParams): boolean {
  const { pipelineId: _p, stageId: _s, status: _st, customProperties, ...others } = filter;
  return !(params.search ?? "").trim() && (customProperties ?? []).length === 0 && Object.values(others).every((v) => v === undefined);
}

function newestFirst(a: LeadEntity, b: LeadEntity): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
