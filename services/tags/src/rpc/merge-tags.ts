import { requireWorkspace } from "@velaflows/kit";
import { mergeTags } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function mergeTagsHandler(store: TagsStore): TagsHandlers["mergeTags"] {
  return async (request, context) => {
    const { tag, movedCount } = await mergeTags(store, requireWorkspace(context), request.sourceId, request.targetId);
    return { tag: toTagProto(tag), movedCount };
  };
}
