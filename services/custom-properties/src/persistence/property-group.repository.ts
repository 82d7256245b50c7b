import type { EntityManager } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { PropertyGroupEntity } from "./property-group.entity";

const GROUP_LIST: ListSpec = {
  sortable: { createdAt: "g.created_at", updatedAt: "g.updated_at", position: "g.position", name: "g.name_key" },
  searchable: ["g.name", "g.description"],
  tieBreaker: "g.id",
};

/** Property groups of one workspace at a time. */
export class PropertyGroupRepository {
  private readonly base: WorkspaceRepository<PropertyGroupEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(PropertyGroupEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<PropertyGroupEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByEntityType(workspaceId: string, entityType: string): Promise<PropertyGroupEntity[]> {
    return this.base.find(workspaceId, { entityType }, { order: { position: "ASC", id: "ASC" } });
  }

  insert(workspaceId: string, group: Partial<PropertyGroupEntity>): Promise<PropertyGroupEntity> {
    return this.base.insert(workspaceId, group);
  }

  async update(workspaceId: string, id: string, patch: Partial<Pick<PropertyGroupEntity, "name" | "nameKey" | "description">>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  async nextPosition(workspaceId: string, entityType: string): Promise<number> {
    const { rows } = await runSql<{ next: number }>(
      this.manager,
      `SELECT COALESCE(MAX("position") + 1, 0)::int AS "next" FROM "custom_properties"."property_groups" WHERE "workspace_id" = $1 AND "entity_type" = $2`,
      [workspaceId, entityType],
    );
    return rows[0]?.next ?? 0;
  }

  async setPositions(workspaceId: string, orderedIds: readonly string[]): Promise<void> {
    if (orderedIds.length === 0) return;
    await runSql(
      this.manager,
      `UPDATE "custom_properties"."property_groups" AS g SET "position" = o.position - 1, "updated_at" = now()
         FROM unnest($2::varchar[]) WITH ORDINALITY AS o(id, position)
        WHERE g."workspace_id" = $1 AND g."id" = o.id AND g."position" <> o.position - 1`,
      [workspaceId, orderedIds],
    );
  }

  list(workspaceId: string, filter: { entityType?: string }, params: ListParams): Promise<{ items: PropertyGroupEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "g");
    if (filter.entityType) query.andWhere("g.entity_type = :entityType", { entityType: filter.entityType });
    return paginate(query, params, GROUP_LIST);
  }
}
