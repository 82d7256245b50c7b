import { requireWorkspace } from "@velaflows/kit";
import { attachTags } from "../domain/assignments";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function bulkAttachTagsHandler(store: TagsStore): TagsHandlers["bulkAttachTags"] {
  return async (request, context) => {
    const attachedBy = context.userId ?? context.apiTokenId ?? null;
    const inserted = await attachTags(store, requireWorkspace(context), request.tagIds, request.entities, attachedBy, (i) => `entities[${i}].entityType`);
    return { attachedCount: inserted.length };
  };
}
