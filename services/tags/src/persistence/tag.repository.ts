import type { EntityManager } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { TagEntity } from "./tag.entity";

const TAG_LIST: ListSpec = {
  sortable: { createdAt: "t.created_at", updatedAt: "t.updated_at", name: "t.name_key", usageCount: "t.usage_count" },
  searchable: ["t.name", "t.description"],
  tieBreaker: "t.id",
};

/** Tags of one workspace at a time. */
export class TagRepository {
  private readonly base: WorkspaceRepository<TagEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(TagEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<TagEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<TagEntity[]> {
    return this.base.findByIds(workspaceId, ids);
  }

  /** The tags of the workspace among `ids` (one array parameter, whatever the count), in no order. */
  findAnyOf(workspaceId: string, ids: readonly string[]): Promise<TagEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.base.query(workspaceId, "t").andWhere("t.id = ANY(:ids)", { ids: [...new Set(ids)] }).getMany();
  }

  insert(workspaceId: string, tag: Partial<TagEntity>): Promise<TagEntity> {
    return this.base.insert(workspaceId, tag);
  }

  async update(workspaceId: string, id: string, patch: Partial<Pick<TagEntity, "name" | "nameKey" | "color" | "description" | "entityTypes">>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /** One page of the workspace's tags, optionally only those applying to `entityType`. */
  list(workspaceId: string, filter: { entityType?: string }, params: ListParams): Promise<{ items: TagEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "t");
    if (filter.entityType) {
      query.andWhere("(cardinality(t.entity_types) = 0 OR :entityType = ANY(t.entity_types))", { entityType: filter.entityType });
    }
    return paginate(query, params, TAG_LIST);
  }

  /** Adds `delta` to the usage count of each tag (deltas may be negative). */
  async adjustUsage(workspaceId: string, deltas: ReadonlyMap<string, number>): Promise<void> {
    const entries = [...deltas].filter(([, delta]) => delta !== 0);
    if (entries.length === 0) return;
    await runSql(
      this.manager,
      `UPDATE "tags"."tags" AS t SET "usage_count" = t."usage_count" + d.delta
         FROM unnest($2::varchar[], $3::int[]) AS d(id, delta)
        WHERE t."workspace_id" = $1 AND t."id" = d.id`,
      [workspaceId, entries.map(([id]) => id), entries.map(([, delta]) => delta)],
    );
  }

  /** Sets the usage count of `tagId` from its assignments (after a merge). */
  async recountUsage(workspaceId: string, tagId: string): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "tags"."tags" SET "usage_count" =
         (SELECT count(*) FROM "tags"."tag_assignments" a WHERE a."workspace_id" = $1 AND a."tag_id" = $2)
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, tagId],
    );
  }
}
