import type { EntityManager } from "typeorm";
import { escapeLike, newObjectId, paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { AuditLogEntity } from "./audit-log.entity";

const AUDIT_LIST: ListSpec = { sortable: { createdAt: "a.created_at" }, tieBreaker: "a.id" };

/** The filters of the audit log. */
export interface AuditLogFilter {
  /** An action, or a prefix ending in "." ("member."). */
  action?: string;
  actorUserId?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
}

/** Audit entries of one workspace at a time: inserted and listed, never changed. */
export class AuditLogsRepository {
  private readonly base: WorkspaceRepository<AuditLogEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(AuditLogEntity, manager);
  }

  async insert(workspaceId: string, entry: Partial<AuditLogEntity>): Promise<void> {
    await this.base.insert(workspaceId, { id: newObjectId(), ...entry });
  }

  list(workspaceId: string, filter: AuditLogFilter, params: ListParams): Promise<{ items: AuditLogEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "a");
    if (filter.action?.endsWith(".")) query.andWhere("a.action LIKE :action", { action: `${escapeLike(filter.action)}%` });
    else if (filter.action) query.andWhere("a.action = :action", { action: filter.action });
    if (filter.actorUserId) query.andWhere("a.actor_user_id = :actorUserId", { actorUserId: filter.actorUserId });
    if (filter.targetType) query.andWhere("a.target_type = :targetType", { targetType: filter.targetType });
    if (filter.targetId) query.andWhere("a.target_id = :targetId", { targetId: filter.targetId });
    if (filter.since) query.andWhere("a.created_at >= :since", { since: filter.since });
    if (filter.until) query.andWhere("a.created_at < :until", { until: filter.until });
    return paginate(query, { ...params, sortBy: "createdAt" }, AUDIT_LIST);
  }
}
