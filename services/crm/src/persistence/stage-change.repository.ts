import type { EntityManager } from "typeorm";
import { WorkspaceRepository } from "@velaflows/kit";
import { StageChangeEntity } from "./entities";

/** Leads' stage histories, one workspace at a time. */
export class StageChangeRepository {
  private readonly base: WorkspaceRepository<StageChangeEntity>;

  constructor(manager: EntityManager) {
    this.base = new WorkspaceRepository(StageChangeEntity, manager);
  }

  insert(workspaceId: string, change: Partial<StageChangeEntity>): Promise<StageChangeEntity> {
    return this.base.insert(workspaceId, change);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<StageChangeEntity[]> {
    return this.base.findByIds(workspaceId, ids);
  }

  /** A lead's changes, oldest first. */
  forLead(workspaceId: string, leadId: string): Promise<StageChangeEntity[]> {
    return this.base.find(workspaceId, { leadId }, { order: { changedAt: "ASC", id: "ASC" } });
  }
}
