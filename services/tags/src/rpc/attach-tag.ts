import { requireWorkspace } from "@velaflows/kit";
import { attachTag } from "../domain/assignments";
import { toTagAssignmentProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function attachTagHandler(store: TagsStore): TagsHandlers["attachTag"] {
  return async (request, context) => {
    const entity = request.entity!; // REQUIRED: checked by the validation interceptor
    const attachedBy = context.userId ?? context.apiTokenId ?? null;
    const { assignment, created } = await attachTag(store, requireWorkspace(context), request.tagId, entity, attachedBy);
    return { assignment: toTagAssignmentProto(assignment), created };
  };
}
