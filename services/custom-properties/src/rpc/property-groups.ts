import { requireWorkspace, ValidationError } from "@velaflows/kit";
import { createGroup, deleteGroup, getGroup, listGroups, reorderGroups, UPDATABLE_GROUP_FIELDS, updateGroup, type CountedGroup, type UpdatableGroupField } from "../domain/groups";
import { toPropertyGroupProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

// The six group RPCs are one-liners over domain/groups.ts, kept together.

const toProto = ({ group, propertyCount }: CountedGroup) => toPropertyGroupProto(group, propertyCount);

export function createPropertyGroupHandler(store: PropertiesStore): PropertiesHandlers["createPropertyGroup"] {
  return async (request, context) => ({ group: toProto(await createGroup(store, requireWorkspace(context), request)) });
}

export function getPropertyGroupHandler(store: PropertiesStore): PropertiesHandlers["getPropertyGroup"] {
  return async (request, context) => ({ group: toProto(await getGroup(store, requireWorkspace(context), request.id)) });
}

export function listPropertyGroupsHandler(store: PropertiesStore): PropertiesHandlers["listPropertyGroups"] {
  return async (request, context) => {
    const page = await listGroups(store, requireWorkspace(context), { entityType: request.entityType || undefined }, request);
    return { items: page.items.map(toProto), pagination: page.pagination };
  };
}

export function updatePropertyGroupHandler(store: PropertiesStore): PropertiesHandlers["updatePropertyGroup"] {
  return async (request, context) => {
    const group = request.group!; // REQUIRED: checked by the validation interceptor
    let fields: UpdatableGroupField[];
    if (!request.updateMask || request.updateMask.length === 0) {
      fields = UPDATABLE_GROUP_FIELDS.filter((field) => group[field] !== "");
    } else {
      const unknown = request.updateMask.filter((path) => !(UPDATABLE_GROUP_FIELDS as readonly string[]).includes(path));
      if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: name, description` }]);
      fields = request.updateMask as UpdatableGroupField[];
    }
    return { group: toProto(await updateGroup(store, requireWorkspace(context), request.id, fields, group)) };
  };
}

export function deletePropertyGroupHandler(store: PropertiesStore): PropertiesHandlers["deletePropertyGroup"] {
  return async (request, context) => ({ ungroupedCount: await deleteGroup(store, requireWorkspace(context), request.id) });
}

export function reorderPropertyGroupsHandler(store: PropertiesStore): PropertiesHandlers["reorderPropertyGroups"] {
  return async (request, context) => ({ items: (await reorderGroups(store, requireWorkspace(context), request.entityType, request.groupIds)).map(toProto) });
}
