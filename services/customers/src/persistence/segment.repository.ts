import type { EntityManager } from "typeorm";
import { paginate, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { SegmentEntity } from "./segment.entity";

const SEGMENT_LIST: ListSpec = {
  sortable: { createdAt: "s.created_at", updatedAt: "s.updated_at", name: "s.name_key" },
  searchable: ["s.name"],
  tieBreaker: "s.id",
};

/** Segments of one workspace at a time. */
export class SegmentRepository {
  private readonly base: WorkspaceRepository<SegmentEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(SegmentEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<SegmentEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  insert(workspaceId: string, segment: Partial<SegmentEntity>): Promise<SegmentEntity> {
    return this.base.insert(workspaceId, segment);
  }

  async update(workspaceId: string, id: string, patch: Partial<Pick<SegmentEntity, "name" | "nameKey" | "description" | "filter">>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch as never);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  list(workspaceId: string, params: ListParams): Promise<{ items: SegmentEntity[]; pagination: Pagination }> {
    return paginate(this.base.query(workspaceId, "s"), params, SEGMENT_LIST);
  }
}
