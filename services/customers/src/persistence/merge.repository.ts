import type { EntityManager } from "typeorm";
import { paginate, WorkspaceRepository, type ListParams, type Pagination } from "@velaflows/kit";
import { MergeEntity } from "./merge.entity";

/** Merge records of one workspace at a time. */
export class MergeRepository {
  private readonly base: WorkspaceRepository<MergeEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(MergeEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<MergeEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  insert(workspaceId: string, merge: Partial<MergeEntity>): Promise<MergeEntity> {
    return this.base.insert(workspaceId, merge);
  }

  list(workspaceId: string, targetId: string | undefined, params: ListParams): Promise<{ items: MergeEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "m");
    if (targetId) query.andWhere("m.target_id = :targetId", { targetId });
    return paginate(query, params, { sortable: { createdAt: "m.created_at" }, tieBreaker: "m.id" });
  }
}
