import { requireWorkspace } from "@velaflows/kit";
import { listTags } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function listTagsHandler(store: TagsStore): TagsHandlers["listTags"] {
  return async (request, context) => {
    const page = await listTags(store, requireWorkspace(context), { entityType: request.entityType || undefined }, request);
    return { items: page.items.map(toTagProto), pagination: page.pagination };
  };
}
