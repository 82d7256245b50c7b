import { ConflictError, isUniqueViolation, newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { PropertiesStore, PropertiesUnit } from "../persistence/properties-store";
import type { PropertyGroupEntity } from "../persistence/property-group.entity";
import { orderedIds } from "./properties";

/** A group with the number of properties in it. */
export interface CountedGroup {
  group: PropertyGroupEntity;
  propertyCount: number;
}

export async function createGroup(
  store: PropertiesStore,
  workspaceId: string,
  input: { entityType: string; name: string; description: string },
): Promise<CountedGroup> {
  const name = cleanName(input.name, "name");
  return store.transaction(async (unit) => {
    const group = await withUniqueName(name, async () =>
      unit.groups.insert(workspaceId, {
        id: newObjectId(),
        entityType: input.entityType,
        name,
        nameKey: name.toLowerCase(),
        description: input.description.trim(),
        position: await unit.groups.nextPosition(workspaceId, input.entityType),
      }),
    );
    return { group: await mustFind(unit, workspaceId, group.id), propertyCount: 0 };
  });
}

export async function getGroup(store: PropertiesStore, workspaceId: string, id: string): Promise<CountedGroup> {
  const group = await mustFind(store.read, workspaceId, id);
  return { group, propertyCount: await store.read.properties.countInGroup(workspaceId, id) };
}

export async function listGroups(store: PropertiesStore, workspaceId: string, filter: { entityType?: string }, params: ListParams) {
  const page = await store.read.groups.list(workspaceId, filter, params);
  const counts = await store.read.properties.countByGroups(workspaceId, page.items.map((g) => g.id));
  return { items: page.items.map((group) => ({ group, propertyCount: counts.get(group.id) ?? 0 })), pagination: page.pagination };
}

export const UPDATABLE_GROUP_FIELDS = ["name", "description"] as const;
export type UpdatableGroupField = (typeof UPDATABLE_GROUP_FIELDS)[number];

export async function updateGroup(
  store: PropertiesStore,
  workspaceId: string,
  id: string,
  fields: readonly UpdatableGroupField[],
  changes: { name: string; description: string },
): Promise<CountedGroup> {
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, id);
    const patch: Partial<PropertyGroupEntity> = {};
    if (fields.includes("name")) {
      const name = cleanName(changes.name, "group.name");
      if (name !== current.name) Object.assign(patch, { name, nameKey: name.toLowerCase() });
    }
    if (fields.includes("description") && changes.description.trim() !== current.description) patch.description = changes.description.trim();
    if (Object.keys(patch).length > 0) await withUniqueName(patch.name ?? current.name, () => unit.groups.update(workspaceId, id, patch));
    return { group: await mustFind(unit, workspaceId, id), propertyCount: await unit.properties.countInGroup(workspaceId, id) };
  });
}

/** Deletes a group; its properties become ungrouped (the foreign key sets their group to null). */
export async function deleteGroup(store: PropertiesStore, workspaceId: string, id: string): Promise<number> {
  return store.transaction(async (unit) => {
    await mustFind(unit, workspaceId, id);
    const ungrouped = await unit.properties.countInGroup(workspaceId, id);
    await unit.groups.delete(workspaceId, id);
    return ungrouped;
  });
}

export async function reorderGroups(store: PropertiesStore, workspaceId: string, entityType: string, groupIds: readonly string[]): Promise<CountedGroup[]> {
  return store.transaction(async (unit) => {
    const current = await unit.groups.findByEntityType(workspaceId, entityType);
    await unit.groups.setPositions(workspaceId, orderedIds(current, groupIds, "groupIds", `a property group of ${entityType}`));
    const groups = await unit.groups.findByEntityType(workspaceId, entityType);
    const counts = await unit.properties.countByGroups(workspaceId, groups.map((g) => g.id));
    return groups.map((group) => ({ group, propertyCount: counts.get(group.id) ?? 0 }));
  });
}

function cleanName(name: string, path: string): string {
  const cleaned = name.normalize("NFC").trim();
  if (cleaned === "") throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

async function mustFind(unit: Pick<PropertiesUnit, "groups">, workspaceId: string, id: string): Promise<PropertyGroupEntity> {
  const group = await unit.groups.findById(workspaceId, id);
  if (!group) throw new NotFoundError("PropertyGroup", id);
  return group;
}

async function withUniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "property_groups_workspace_entity_name")) throw new ConflictError(`A property group named "${name}" already exists`, "PROPERTY_GROUP_NAME_TAKEN");
    throw error;
  }
}
