import { NotFoundError, type DomainEvent, type ListParams } from "@velaflows/kit";
import type { AssignmentKey } from "../persistence/tag-assignment.repository";
import type { TagEntity } from "../persistence/tag.entity";
import type { TagsStore, TagsUnit } from "../persistence/tags-store";
import { tagAttached, tagDetached } from "./tag-events";
import { assertTagsApply } from "./tag-rules";

export interface EntityRef {
  entityType: string;
  entityId: string;
}

/**
 * Attaches every tag to every entity in one transaction: all tags must exist in the workspace and
 * apply to each entity's type, or nothing is written. Returns the pairs newly attached.
 */
export async function attachTags(
  store: TagsStore,
  workspaceId: string,
  tagIds: readonly string[],
  entities: readonly EntityRef[],
  attachedBy: string | null,
  entityPath: (index: number) => string,
): Promise<AssignmentKey[]> {
  return store.transaction(async (unit) => {
    const tags = await findAll(unit, workspaceId, tagIds);
    assertTagsApply(tags, entities, entityPath);
    const keys = unique(tags.flatMap((tag) => entities.map((e) => ({ tagId: tag.id, entityType: e.entityType, entityId: e.entityId }))));
    const inserted = await unit.assignments.insertMissing(workspaceId, keys, attachedBy);
    await unit.tags.adjustUsage(workspaceId, countByTag(inserted, 1));
    await unit.publish(eventsPerEntity(workspaceId, inserted, tagAttached));
    return inserted;
  });
}

/** Attaches one tag to one entity; `created` is false when it was already there. */
export async function attachTag(store: TagsStore, workspaceId: string, tagId: string, entity: EntityRef, attachedBy: string | null) {
  const inserted = await attachTags(store, workspaceId, [tagId], [entity], attachedBy, () => "entity.entityType");
  const assignment = await store.read.assignments.findOne(workspaceId, { tagId, ...entity });
  if (!assignment) throw new NotFoundError("Tag", tagId); // deleted concurrently, right after the attach
  return { assignment, created: inserted.length > 0 };
}

/** Detaches every tag from every entity in one transaction. Returns the pairs that existed. */
export async function detachTags(store: TagsStore, workspaceId: string, tagIds: readonly string[], entities: readonly EntityRef[]): Promise<AssignmentKey[]> {
  return store.transaction(async (unit) => {
    await findAll(unit, workspaceId, tagIds);
    const removed = await unit.assignments.deletePairs(workspaceId, unique(tagIds), entities);
    await unit.tags.adjustUsage(workspaceId, countByTag(removed, -1));
    await unit.publish(eventsPerEntity(workspaceId, removed, tagDetached));
    return removed;
  });
}

/** Makes `tagIds` exactly the tags of `entity`; returns them by name. */
export async function setEntityTags(store: TagsStore, workspaceId: string, entity: EntityRef, tagIds: readonly string[], attachedBy: string | null): Promise<TagEntity[]> {
  return store.transaction(async (unit) => {
    const wanted = await findAll(unit, workspaceId, tagIds);
    assertTagsApply(wanted, [entity], () => "entity.entityType");
    const current = await unit.assignments.tagsOfEntity(workspaceId, entity.entityType, entity.entityId);
    const wantedIds = new Set(wanted.map((t) => t.id));
    const toRemove = current.filter((t) => !wantedIds.has(t.id)).map((t) => t.id);
    const removed = await unit.assignments.deletePairs(workspaceId, toRemove, [entity]);
    const inserted = await unit.assignments.insertMissing(
      workspaceId,
      wanted.map((t) => ({ tagId: t.id, ...entity })),
      attachedBy,
    );
    const deltas = countByTag(inserted, 1);
    for (const [tagId, delta] of countByTag(removed, -1)) deltas.set(tagId, (deltas.get(tagId) ?? 0) + delta);
    await unit.tags.adjustUsage(workspaceId, deltas);
    await unit.publish([...eventsPerEntity(workspaceId, removed, tagDetached), ...eventsPerEntity(workspaceId, inserted, tagAttached)]);
    return unit.assignments.tagsOfEntity(workspaceId, entity.entityType, entity.entityId);
  });
}

export function listEntityTags(store: TagsStore, workspaceId: string, entity: EntityRef): Promise<TagEntity[]> {
  return store.read.assignments.tagsOfEntity(workspaceId, entity.entityType, entity.entityId);
}

export function batchGetEntityTags(store: TagsStore, workspaceId: string, entityType: string, entityIds: readonly string[]): Promise<Map<string, TagEntity[]>> {
  return store.read.assignments.tagsOfEntities(workspaceId, entityType, [...new Set(entityIds)]);
}

export async function listTagEntities(store: TagsStore, workspaceId: string, tagId: string, entityType: string | undefined, params: ListParams) {
  if (!(await store.read.tags.findById(workspaceId, tagId))) throw new NotFoundError("Tag", tagId);
  return store.read.assignments.listByTag(workspaceId, tagId, entityType, params);
}

async function findAll(unit: Pick<TagsUnit, "tags">, workspaceId: string, tagIds: readonly string[]): Promise<TagEntity[]> {
  const ids = [...new Set(tagIds)];
  const tags = await unit.tags.findByIds(workspaceId, ids);
  const missing = ids.find((id) => !tags.some((t) => t.id === id));
  if (missing) throw new NotFoundError("Tag", missing);
  return tags;
}

function unique<T>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) seen.set(JSON.stringify(item), item);
  return [...seen.values()];
}

function countByTag(keys: readonly AssignmentKey[], sign: 1 | -1): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key.tagId, (counts.get(key.tagId) ?? 0) + sign);
  return counts;
}

// One event per entity listing the tags that changed on it, which is what a webhook consumer
// reacting to "customer X got tagged" wants.
function eventsPerEntity(
  workspaceId: string,
  keys: readonly AssignmentKey[],
  factory: (workspaceId: string, message: { entity: EntityRef; tagIds: string[] }) => DomainEvent,
): DomainEvent[] {
  const byEntity = new Map<string, { entity: EntityRef; tagIds: string[] }>();
  for (const key of keys) {
    const id = `${key.entityType}\u0000${key.entityId}`;
    const group = byEntity.get(id) ?? { entity: { entityType: key.entityType, entityId: key.entityId }, tagIds: [] };
    group.tagIds.push(key.tagId);
    byEntity.set(id, group);
  }
  // Tag ids in id (creation) order: the database returns changed rows in no particular order.
  return [...byEntity.values()].map((group) => factory(workspaceId, { ...group, tagIds: [...group.tagIds].sort() }));
}
