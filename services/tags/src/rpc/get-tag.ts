import { requireWorkspace } from "@velaflows/kit";
import { getTag } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function getTagHandler(store: TagsStore): TagsHandlers["getTag"] {
  return async (request, context) => ({ tag: toTagProto(await getTag(store, requireWorkspace(context), request.id)) });
}
