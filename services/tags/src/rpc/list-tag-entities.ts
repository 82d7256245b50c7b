import { requireWorkspace } from "@velaflows/kit";
import { listTagEntities } from "../domain/assignments";
import { toTagAssignmentProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function listTagEntitiesHandler(store: TagsStore): TagsHandlers["listTagEntities"] {
  return async (request, context) => {
    const page = await listTagEntities(store, requireWorkspace(context), request.tagId, request.entityType || undefined, request);
    return { items: page.items.map(toTagAssignmentProto), pagination: page.pagination };
  };
}
