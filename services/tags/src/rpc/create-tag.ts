import { requireWorkspace } from "@velaflows/kit";
import { createTag } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function createTagHandler(store: TagsStore): TagsHandlers["createTag"] {
  return async (request, context) => ({
    tag: toTagProto(await createTag(store, requireWorkspace(context), { ...request, createdBy: context.userId ?? context.apiTokenId })),
  });
}
