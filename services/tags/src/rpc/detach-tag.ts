import { requireWorkspace } from "@velaflows/kit";
import { detachTags } from "../domain/assignments";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function detachTagHandler(store: TagsStore): TagsHandlers["detachTag"] {
  return async (request, context) => {
    const removed = await detachTags(store, requireWorkspace(context), [request.tagId], [request.entity!]);
    return { detached: removed.length > 0 };
  };
}
