import type { EntityManager } from "typeorm";
import { JobRepository, runSql, WorkspaceRepository } from "@velaflows/kit";
import { LeadEntity, StageChangeEntity } from "./entities";
import { LeadExportJobEntity, LeadImportJobEntity, type StoredLeadExportFilter } from "./lead-jobs.entity";

/** Leads import and export jobs (the kit's job repository on this schema), and the lead reads they make. */
export class LeadJobRepository extends JobRepository<LeadImportJobEntity, LeadExportJobEntity> {
  private readonly leads: WorkspaceRepository<LeadEntity>;

  constructor(private readonly leadManager: EntityManager) {
    super(leadManager, "crm", LeadImportJobEntity, LeadExportJobEntity);
    this.leads = new WorkspaceRepository(LeadEntity, leadManager);
  }

  /** Inserts an import batch's new leads and their first history entries, one statement each. */
  async insertLeads(leads: readonly LeadEntity[], changes: readonly StageChangeEntity[]): Promise<void> {
    if (leads.length === 0) return;
    await this.leadManager.getRepository(LeadEntity).insert(leads as LeadEntity[]);
    await this.leadManager.getRepository(StageChangeEntity).insert(changes as StageChangeEntity[]);
  }

  /** How many leads an export with `filter` takes. */
  countLeads(workspaceId: string, filter: StoredLeadExportFilter): Promise<number> {
    return this.filtered(workspaceId, filter).getCount();
  }

  /** One page of an export: the matching leads after `afterId`, in id (creation) order. */
  leadPage(workspaceId: string, filter: StoredLeadExportFilter, afterId: string | null, limit: number): Promise<LeadEntity[]> {
    const query = this.filtered(workspaceId, filter);
    if (afterId) query.andWhere("l.id > :afterId", { afterId });
    return query.orderBy("l.id", "ASC").limit(limit).getMany();
  }

  /** The id of the oldest lead holding each of `values` (e-mails or phones), for an import's upsert. */
  async leadIdsByKey(workspaceId: string, key: "email" | "phone", values: readonly string[]): Promise<Map<string, string>> {
    if (values.length === 0) return new Map();
    const { rows } = await runSql<{ value: string; id: string }>(
      this.leadManager,
      `SELECT DISTINCT ON (l."${key}") l."${key}" AS "value", l."id" FROM "crm"."leads" l
        WHERE l."workspace_id" = $1 AND l."${key}" = ANY($2::varchar[]) ORDER BY l."${key}", l."id"`,
      [workspaceId, [...new Set(values)]],
    );
    return new Map(rows.map((r) => [r.value, r.id]));
  }

  private filtered(workspaceId: string, filter: StoredLeadExportFilter) {
    const query = this.leads.query(workspaceId, "l");
    if (filter.pipelineId) query.andWhere("l.pipeline_id = :pipelineId", { pipelineId: filter.pipelineId });
    if (filter.stageId) query.andWhere("l.stage_id = :stageId", { stageId: filter.stageId });
    if (filter.ownerId) query.andWhere("l.owner_id = :ownerId", { ownerId: filter.ownerId });
    if (filter.status) query.andWhere("l.status = :status", { status: filter.status });
    return query;
  }
}
