import type { EntityManager } from "typeorm";
import { paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { PropertyEntity } from "./property.entity";

const PROPERTY_LIST: ListSpec = {
  sortable: { createdAt: "p.created_at", updatedAt: "p.updated_at", position: "p.position", label: "lower(p.label)", key: "p.key" },
  searchable: ["p.key", "p.label", "p.description"],
  tieBreaker: "p.id",
};

export interface PropertyFilter {
  entityType?: string;
  /** A group id, or "none" for ungrouped properties. */
  groupId?: string;
  active?: boolean;
  type?: string;
}

/** Property definitions of one workspace at a time. */
export class PropertyRepository {
  private readonly base: WorkspaceRepository<PropertyEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(PropertyEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<PropertyEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  async findByKey(workspaceId: string, entityType: string, key: string): Promise<PropertyEntity | null> {
    const [found] = await this.base.find(workspaceId, { entityType, key });
    return found ?? null;
  }

  /** Every property of an entity type, in display order. */
  findByEntityType(workspaceId: string, entityType: string): Promise<PropertyEntity[]> {
    return this.base.find(workspaceId, { entityType }, { order: { position: "ASC", id: "ASC" } });
  }

  insert(workspaceId: string, property: Partial<PropertyEntity>): Promise<PropertyEntity> {
    return this.base.insert(workspaceId, property);
  }

  async update(workspaceId: string, id: string, patch: Partial<PropertyEntity>): Promise<void> {
    await this.base.update(workspaceId, { id }, patch as never);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /** The next free position of an entity type (one after the last). */
  async nextPosition(workspaceId: string, entityType: string): Promise<number> {
    const { rows } = await runSql<{ next: number }>(
      this.manager,
      `SELECT COALESCE(MAX("position") + 1, 0)::int AS "next" FROM "custom_properties"."properties" WHERE "workspace_id" = $1 AND "entity_type" = $2`,
      [workspaceId, entityType],
    );
    return rows[0]?.next ?? 0;
  }

  /** Sets each listed property's position to its index in `orderedIds`. */
  async setPositions(workspaceId: string, orderedIds: readonly string[]): Promise<void> {
    if (orderedIds.length === 0) return;
    await runSql(
      this.manager,
      `UPDATE "custom_properties"."properties" AS p SET "position" = o.position - 1, "updated_at" = now()
         FROM unnest($2::varchar[]) WITH ORDINALITY AS o(id, position)
        WHERE p."workspace_id" = $1 AND p."id" = o.id AND p."position" <> o.position - 1`,
      [workspaceId, orderedIds],
    );
  }

  /** Property counts per entity type (all, and active only). */
  async countByEntityType(workspaceId: string): Promise<Map<string, { total: number; active: number }>> {
    const { rows } = await runSql<{ entity_type: string; total: number; active: number }>(
      this.manager,
      `SELECT "entity_type", count(*)::int AS "total", count(*) FILTER (WHERE "active")::int AS "active"
         FROM "custom_properties"."properties" WHERE "workspace_id" = $1 GROUP BY "entity_type"`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.entity_type, { total: r.total, active: r.active }]));
  }

  countInGroup(workspaceId: string, groupId: string): Promise<number> {
    return this.base.count(workspaceId, { groupId });
  }

  /** Property counts per group of the listed groups. */
  async countByGroups(workspaceId: string, groupIds: readonly string[]): Promise<Map<string, number>> {
    if (groupIds.length === 0) return new Map();
    const { rows } = await runSql<{ group_id: string; count: number }>(
      this.manager,
      `SELECT "group_id", count(*)::int AS "count" FROM "custom_properties"."properties"
        WHERE "workspace_id" = $1 AND "group_id" = ANY($2::varchar[]) GROUP BY "group_id"`,
      [workspaceId, groupIds],
    );
    return new Map(rows.map((r) => [r.group_id, r.count]));
  }

  list(workspaceId: string, filter: PropertyFilter, params: ListParams): Promise<{ items: PropertyEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "p");
    if (filter.entityType) query.andWhere("p.entity_type = :entityType", { entityType: filter.entityType });
    if (filter.groupId === "none") query.andWhere("p.group_id IS NULL");
    else if (filter.groupId) query.andWhere("p.group_id = :groupId", { groupId: filter.groupId });
    if (filter.active !== undefined) query.andWhere("p.active = :active", { active: filter.active });
    if (filter.type) query.andWhere("p.type = :type", { type: filter.type });
    return paginate(query, params, PROPERTY_LIST);
  }
}
