import { requireWorkspace, ValidationError } from "@velaflows/kit";
import { UPDATABLE_TAG_FIELDS, updateTag, type UpdatableTagField } from "../domain/tags";
import { toTagProto } from "../persistence/tag.mapper";
import type { TagsStore } from "../persistence/tags-store";
import type { TagsHandlers } from "./handlers";

export function updateTagHandler(store: TagsStore): TagsHandlers["updateTag"] {
  return async (request, context) => {
    const tag = request.tag!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, tag);
    const updated = await updateTag(store, requireWorkspace(context), request.id, fields, tag);
    return { tag: toTagProto(updated) };
  };
}

// AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
// without one, every field given a non-default value is written.
function fieldsToUpdate(mask: string[] | undefined, tag: { name: string; color: string; description: string; entityTypes: string[] }): UpdatableTagField[] {
  if (!mask || mask.length === 0) {
    return UPDATABLE_TAG_FIELDS.filter((field) => (field === "entity_types" ? tag.entityTypes.length > 0 : tag[field] !== ""));
  }
  const unknown = mask.filter((path) => !(UPDATABLE_TAG_FIELDS as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_TAG_FIELDS.join(", ")}` }]);
  }
  return mask as UpdatableTagField[];
}
