import { requireWorkspace } from "@velaflows/kit";
import { listEntityTags } from "../domain/assignments";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function listEntityTagsHandler(store: TagsStore): TagsHandlers["listEntityTags"] {
  return async (request, context) => ({ items: (await listEntityTags(store, requireWorkspace(context), request.entity!)).map(toTagProto) });
}
