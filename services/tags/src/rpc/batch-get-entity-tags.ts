import { requireWorkspace } from "@velaflows/kit";
import { batchGetEntityTags } from "../domain/assignments";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function batchGetEntityTagsHandler(store: TagsStore): TagsHandlers["batchGetEntityTags"] {
  return async (request, context) => {
    const tagsByEntity = await batchGetEntityTags(store, requireWorkspace(context), request.entityType, request.entityIds);
    return { items: request.entityIds.map((entityId) => ({ entityId, tags: (tagsByEntity.get(entityId) ?? []).map(toTagProto) })) };
  };
}
