import type { EntityManager } from "typeorm";
import { newObjectId, paginate, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import { TagAssignmentEntity } from "./tag-assignment.entity";
import { TagEntity } from "./tag.entity";

/** A (tag, entity) pair. */
export interface AssignmentKey {
  tagId: string;
  entityType: string;
  entityId: string;
}

const ASSIGNMENT_LIST: ListSpec = { sortable: { createdAt: "a.created_at" }, tieBreaker: "a.id" };

/** Which tags sit on which entities, one workspace at a time. */
export class TagAssignmentRepository {
  private readonly base: WorkspaceRepository<TagAssignmentEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(TagAssignmentEntity, manager);
  }

  findOne(workspaceId: string, key: AssignmentKey): Promise<TagAssignmentEntity | null> {
    return this.base.find(workspaceId, { ...key }, { take: 1 }).then((rows) => rows[0] ?? null);
  }

  /** Inserts the pairs that do not exist yet; returns those it inserted. */
  async insertMissing(workspaceId: string, keys: readonly AssignmentKey[], attachedBy: string | null): Promise<AssignmentKey[]> {
    if (keys.length === 0) return [];
    const now = new Date();
    const { rows } = await runSql<{ tag_id: string; entity_type: string; entity_id: string }>(
      this.manager,
      `INSERT INTO "tags"."tag_assignments" ("id", "workspace_id", "tag_id", "entity_type", "entity_id", "attached_by", "created_at", "updated_at")
       SELECT k.id, $1, k.tag_id, k.entity_type, k.entity_id, $2, $3, $3
         FROM unnest($4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[]) AS k(id, tag_id, entity_type, entity_id)
       ON CONFLICT ("workspace_id", "tag_id", "entity_type", "entity_id") DO NOTHING
       RETURNING "tag_id", "entity_type", "entity_id"`,
      [
        workspaceId,
        attachedBy,
        now,
        keys.map(() => newObjectId(now)),
        keys.map((k) => k.tagId),
        keys.map((k) => k.entityType),
        keys.map((k) => k.entityId),
      ],
    );
    return rows.map(toKey);
  }

  /** Deletes every listed tag from every listed entity; returns the pairs that existed. */
  async deletePairs(workspaceId: string, tagIds: readonly string[], entities: readonly { entityType: string; entityId: string }[]): Promise<AssignmentKey[]> {
    if (tagIds.length === 0 || entities.length === 0) return [];
    const { rows } = await runSql<{ tag_id: string; entity_type: string; entity_id: string }>(
      this.manager,
      `DELETE FROM "tags"."tag_assignments" AS a
        USING unnest($2::varchar[], $3::varchar[]) AS e(entity_type, entity_id)
        WHERE a."workspace_id" = $1 AND a."tag_id" = ANY($4::varchar[])
          AND a."entity_type" = e.entity_type AND a."entity_id" = e.entity_id
       RETURNING a."tag_id", a."entity_type", a."entity_id"`,
      [workspaceId, entities.map((e) => e.entityType), entities.map((e) => e.entityId), [...tagIds]],
    );
    return rows.map(toKey);
  }

  deleteByTag(workspaceId: string, tagId: string): Promise<number> {
    return this.base.delete(workspaceId, { tagId });
  }

  /** Re-points the source tag's assignments to the target, skipping entities that have both; returns how many moved. */
  async moveToTag(workspaceId: string, sourceId: string, targetId: string): Promise<number> {
    const { affected } = await runSql(
      this.manager,
      `UPDATE "tags"."tag_assignments" AS a SET "tag_id" = $3, "updated_at" = now()
        WHERE a."workspace_id" = $1 AND a."tag_id" = $2
          AND NOT EXISTS (SELECT 1 FROM "tags"."tag_assignments" b
                           WHERE b."workspace_id" = $1 AND b."tag_id" = $3
                             AND b."entity_type" = a."entity_type" AND b."entity_id" = a."entity_id")`,
      [workspaceId, sourceId, targetId],
    );
    return affected;
  }

  /** Tags on one entity, by name. */
  async tagsOfEntity(workspaceId: string, entityType: string, entityId: string): Promise<TagEntity[]> {
    return (await this.tagsOfEntities(workspaceId, entityType, [entityId])).get(entityId) ?? [];
  }

  /** Tags on each of many entities of one type, by name. */
  async tagsOfEntities(workspaceId: string, entityType: string, entityIds: readonly string[]): Promise<Map<string, TagEntity[]>> {
    const result = new Map<string, TagEntity[]>();
    if (entityIds.length === 0) return result;
    const { rows } = await runSql<TagRow & { entity_id: string }>(
      this.manager,
      `SELECT a."entity_id", t.*
         FROM "tags"."tag_assignments" AS a
         JOIN "tags"."tags" AS t ON t."id" = a."tag_id" AND t."workspace_id" = a."workspace_id"
        WHERE a."workspace_id" = $1 AND a."entity_type" = $2 AND a."entity_id" = ANY($3::varchar[])
        ORDER BY t."name_key"`,
      [workspaceId, entityType, [...entityIds]],
    );
    for (const row of rows) {
      const list = result.get(row.entity_id) ?? [];
      list.push(tagFromRow(row));
      result.set(row.entity_id, list);
    }
    return result;
  }

  /** A page of the entities carrying a tag, newest attachment first by default. */
  listByTag(workspaceId: string, tagId: string, entityType: string | undefined, params: ListParams): Promise<{ items: TagAssignmentEntity[]; pagination: Pagination }> {
    const query = this.base.query(workspaceId, "a").andWhere("a.tag_id = :tagId", { tagId });
    if (entityType) query.andWhere("a.entity_type = :entityType", { entityType });
    return paginate(query, params, ASSIGNMENT_LIST);
  }

  /** Entities carrying a tag, counted per entity type. */
  async countByEntityType(workspaceId: string, tagId: string): Promise<{ entityType: string; count: number }[]> {
    const rows = await this.base
      .query(workspaceId, "a")
      .select("a.entity_type", "entity_type")
      .addSelect("count(*)::int", "count")
      .andWhere("a.tag_id = :tagId", { tagId })
      .groupBy("a.entity_type")
      .orderBy("a.entity_type")
      .getRawMany<{ entity_type: string; count: number }>();
    return rows.map((r) => ({ entityType: r.entity_type, count: Number(r.count) }));
  }
}

interface TagRow {
  id: string;
  workspace_id: string;
  name: string;
  name_key: string;
  color: string;
  description: string;
  entity_types: string[];
  usage_count: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

function tagFromRow(row: TagRow): TagEntity {
  return Object.assign(new TagEntity(), {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    nameKey: row.name_key,
    color: row.color,
    description: row.description,
    entityTypes: row.entity_types,
    usageCount: row.usage_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function toKey(row: { tag_id: string; entity_type: string; entity_id: string }): AssignmentKey {
  return { tagId: row.tag_id, entityType: row.entity_type, entityId: row.entity_id };
}
