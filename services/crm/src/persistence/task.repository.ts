import type { EntityManager } from "typeorm";
import { paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { TaskEntity } from "./entities";

const TASK_LIST: ListSpec = {
  // Ascending due dates put undated tasks last (PostgreSQL sorts NULL after every value).
  sortable: { dueAt: "t.due_at", createdAt: "t.created_at", updatedAt: "t.updated_at" },
  defaultSortBy: "dueAt",
  tieBreaker: "t.id",
};

/** Conditions on tasks; every one given must hold. */
export interface TaskFilter {
  assigneeId?: string;
  leadId?: string;
  customerId?: string;
  status?: string;
  /** Due at or after. */
  dueFrom?: Date;
  /** Due before. */
  dueBefore?: Date;
}

export type TaskPatch = Partial<
  Pick<TaskEntity, "title" | "description" | "dueAt" | "assigneeId" | "priority" | "leadId" | "customerId" | "status" | "completedAt" | "completedBy">
>;

/** Tasks of one workspace at a time. */
export class TaskRepository {
  private readonly base: WorkspaceRepository<TaskEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(TaskEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<TaskEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<TaskEntity[]> {
    return this.base.findByIds(workspaceId, ids);
  }

  lock(workspaceId: string, id: string): Promise<TaskEntity | null> {
    return this.base.query(workspaceId, "t").andWhere("t.id = :id", { id }).setLock("pessimistic_write").getOne();
  }

  insert(workspaceId: string, task: Partial<TaskEntity>): Promise<TaskEntity> {
    return this.base.insert(workspaceId, task);
  }

  async update(workspaceId: string, id: string, patch: TaskPatch): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  list(workspaceId: string, filter: TaskFilter, params: ListParams): Promise<{ items: TaskEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "t");
    if (filter.assigneeId) query.andWhere("t.assignee_id = :assigneeId", { assigneeId: filter.assigneeId });
    if (filter.leadId) query.andWhere("t.lead_id = :leadId", { leadId: filter.leadId });
    if (filter.customerId) query.andWhere("t.customer_id = :customerId", { customerId: filter.customerId });
    if (filter.status) query.andWhere("t.status = :status", { status: filter.status });
    if (filter.dueFrom) query.andWhere("t.due_at >= :dueFrom", { dueFrom: filter.dueFrom });
    if (filter.dueBefore) query.andWhere("t.due_at < :dueBefore", { dueBefore: filter.dueBefore });
    return paginate(query, params, TASK_LIST);
  }
}
