import { requireWorkspace } from "@velaflows/kit";
import { getTagUsage } from "../domain/tags";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function getTagUsageHandler(store: TagsStore): TagsHandlers["getTagUsage"] {
  return async (request, context) => {
    const usage = await getTagUsage(store, requireWorkspace(context), request.id);
    return { tagId: usage.tag.id, total: usage.total, byEntityType: usage.byEntityType };
  };
}
