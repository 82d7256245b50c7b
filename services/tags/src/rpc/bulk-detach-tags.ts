import { requireWorkspace } from "@velaflows/kit";
import { detachTags } from "../domain/assignments";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function bulkDetachTagsHandler(store: TagsStore): TagsHandlers["bulkDetachTags"] {
  return async (request, context) => {
    const removed = await detachTags(store, requireWorkspace(context), request.tagIds, request.entities);
    return { detachedCount: removed.length };
  };
}
