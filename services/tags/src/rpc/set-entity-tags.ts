import { requireWorkspace } from "@velaflows/kit";
import { setEntityTags } from "../domain/assignments";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function setEntityTagsHandler(store: TagsStore): TagsHandlers["setEntityTags"] {
  return async (request, context) => {
    const attachedBy = context.userId ?? context.apiTokenId ?? null;
    const tags = await setEntityTags(store, requireWorkspace(context), request.entity!, request.tagIds, attachedBy);
    return { items: tags.map(toTagProto) };
  };
}
