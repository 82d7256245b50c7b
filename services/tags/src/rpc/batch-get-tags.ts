import { requireWorkspace } from "@velaflows/kit";
import { batchGetTags } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function batchGetTagsHandler(store: TagsStore): TagsHandlers["batchGetTags"] {
  return async (request, context) => ({ tags: (await batchGetTags(store, requireWorkspace(context), request.ids)).map(toTagProto) });
}
