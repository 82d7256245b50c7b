import { fieldsToUpdate, requireWorkspace } from "@velaflows/kit";
import { UPDATABLE_TAG_FIELDS, updateTag } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function updateTagHandler(store: TagsStore): TagsHandlers["updateTag"] {
  return async (request, context) => {
    const tag = request.tag!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_TAG_FIELDS, (field) => (field === "entity_types" ? tag.entityTypes.length > 0 : tag[field] !== ""));
    const updated = await updateTag(store, requireWorkspace(context), request.id, fields, tag);
    return { tag: toTagProto(updated) };
  };
}
