import { requireWorkspace } from "@velaflows/kit";
import { deleteTag } from "../domain/tags";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function deleteTagHandler(store: TagsStore): TagsHandlers["deleteTag"] {
  return async (request, context) => ({ detachedCount: await deleteTag(store, requireWorkspace(context), request.id) });
}
