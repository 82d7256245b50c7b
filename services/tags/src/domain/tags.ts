import { ConflictError, inRequestOrder, isUniqueViolation, newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { TagEntity } from "../persistence/tag.entity";
import type { TagsStore, TagsUnit } from "../persistence/tags-store";
import { toTagProto } from "../persistence/tag.mapper";
import { tagCreated, tagDeleted, tagMerged, tagUpdated } from "./tag-events";
import { cleanColor, cleanEntityTypes, cleanTagName, tagNameKey } from "./tag-rules";

export interface NewTag {
  name: string;
  color: string;
  description: string;
  entityTypes: string[];
  createdBy?: string;
}

export async function createTag(store: TagsStore, workspaceId: string, input: NewTag): Promise<TagEntity> {
  const name = cleanTagName(input.name);
  return store.transaction(async (unit) => {
    const tag = await withUniqueName(name, () =>
      unit.tags.insert(workspaceId, {
        id: newObjectId(),
        name,
        nameKey: tagNameKey(name),
        color: cleanColor(input.color),
        description: input.description.trim(),
        entityTypes: cleanEntityTypes(input.entityTypes),
        usageCount: 0,
        createdBy: input.createdBy ?? null,
      }),
    );
    const saved = await mustFind(unit, workspaceId, tag.id);
    await unit.publish([tagCreated(workspaceId, { tag: toTagProto(saved) })]);
    return saved;
  });
}

export async function getTag(store: TagsStore, workspaceId: string, id: string): Promise<TagEntity> {
  const tag = await store.read.tags.findById(workspaceId, id);
  if (!tag) throw new NotFoundError("Tag", id);
  return tag;
}

/** The tags named by `ids`, in request order, all or nothing (see {@link inRequestOrder}). */
export async function batchGetTags(store: TagsStore, workspaceId: string, ids: readonly string[]): Promise<TagEntity[]> {
  return inRequestOrder("Tag", ids, await store.read.tags.findAnyOf(workspaceId, ids));
}

/** The fields of a tag that can be updated, by their proto paths. */
export const UPDATABLE_TAG_FIELDS = ["name", "color", "description", "entity_types"] as const;
export type UpdatableTagField = (typeof UPDATABLE_TAG_FIELDS)[number];

export interface TagChanges {
  name: string;
  color: string;
  description: string;
  entityTypes: string[];
}

/** Applies the named fields of `changes`; an update that changes nothing publishes nothing. */
export async function updateTag(
  store: TagsStore,
  workspaceId: string,
  id: string,
  fields: readonly UpdatableTagField[],
  changes: TagChanges,
): Promise<TagEntity> {
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, id);
    const patch: Partial<TagEntity> = {};
    if (fields.includes("name")) {
      const name = cleanTagName(changes.name, "tag.name");
      if (name !== current.name) Object.assign(patch, { name, nameKey: tagNameKey(name) });
    }
    if (fields.includes("color") && cleanColor(changes.color) !== current.color) patch.color = cleanColor(changes.color);
    if (fields.includes("description") && changes.description.trim() !== current.description) patch.description = changes.description.trim();
    if (fields.includes("entity_types")) {
      const entityTypes = cleanEntityTypes(changes.entityTypes);
      if (entityTypes.join() !== current.entityTypes.join()) patch.entityTypes = entityTypes;
    }
    const changed = Object.keys(patch).filter((k) => k !== "nameKey");
    if (changed.length === 0) return current;
    await withUniqueName(patch.name ?? current.name, () => unit.tags.update(workspaceId, id, patch));
    const updated = await mustFind(unit, workspaceId, id);
    await unit.publish([tagUpdated(workspaceId, { tag: toTagProto(updated), changedFields: changed.map(toProtoPath) })]);
    return updated;
  });
}

/** Deletes a tag and its attachments; returns how many entities lost it. */
export async function deleteTag(store: TagsStore, workspaceId: string, id: string): Promise<number> {
  return store.transaction(async (unit) => {
    const tag = await mustFind(unit, workspaceId, id);
    const detachedCount = await unit.assignments.deleteByTag(workspaceId, id);
    await unit.tags.delete(workspaceId, id);
    await unit.publish([tagDeleted(workspaceId, { tagId: id, name: tag.name, detachedCount })]);
    return detachedCount;
  });
}

export function listTags(store: TagsStore, workspaceId: string, filter: { entityType?: string }, params: ListParams) {
  return store.read.tags.list(workspaceId, filter, params);
}

export async function getTagUsage(store: TagsStore, workspaceId: string, id: string) {
  const tag = await getTag(store, workspaceId, id);
  const byEntityType = await store.read.assignments.countByEntityType(workspaceId, id);
  return { tag, total: byEntityType.reduce((sum, c) => sum + c.count, 0), byEntityType };
}

/**
 * Moves every attachment of `sourceId` to `targetId` (entities carrying both keep one), widens the
 * target's entity types to cover the source's, and deletes the source: one transaction.
 */
export async function mergeTags(store: TagsStore, workspaceId: string, sourceId: string, targetId: string): Promise<{ tag: TagEntity; movedCount: number }> {
  if (sourceId === targetId) throw new ValidationError([{ path: "targetId", message: "must differ from sourceId" }]);
  return store.transaction(async (unit) => {
    const source = await mustFind(unit, workspaceId, sourceId);
    const target = await mustFind(unit, workspaceId, targetId);
    const movedCount = await unit.assignments.moveToTag(workspaceId, sourceId, targetId);
    await unit.assignments.deleteByTag(workspaceId, sourceId);
    await unit.tags.delete(workspaceId, sourceId);
    // Either side applying to every type (empty list) makes the merged tag apply to every type.
    const widened =
      source.entityTypes.length === 0 || target.entityTypes.length === 0 ? [] : cleanEntityTypes([...target.entityTypes, ...source.entityTypes]);
    if (widened.join() !== target.entityTypes.join()) await unit.tags.update(workspaceId, targetId, { entityTypes: widened });
    await unit.tags.recountUsage(workspaceId, targetId);
    const merged = await mustFind(unit, workspaceId, targetId);
    await unit.publish([tagMerged(workspaceId, { sourceId, targetId, movedCount })]);
    return { tag: merged, movedCount };
  });
}

async function mustFind(unit: Pick<TagsUnit, "tags">, workspaceId: string, id: string): Promise<TagEntity> {
  const tag = await unit.tags.findById(workspaceId, id);
  if (!tag) throw new NotFoundError("Tag", id);
  return tag;
}

async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "tags_workspace_name_key")) throw new ConflictError(`A tag named "${name}" already exists`, "TAG_NAME_TAKEN");
    throw error;
  }
}

function toProtoPath(field: string): string {
  return field === "entityTypes" ? "entity_types" : field;
}
