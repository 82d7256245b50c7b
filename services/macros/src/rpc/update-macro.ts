import { requireWorkspace, ValidationError } from "@velaflows/kit";
import type { Macro } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import { UPDATABLE_MACRO_FIELDS, updateMacro, type UpdatableMacroField } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function updateMacroHandler(store: MacrosStore): MacrosHandlers["updateMacro"] {
  return async (request, context) => {
    const macro = request.macro!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, macro);
    return { macro: toMacroProto(await updateMacro(store, requireWorkspace(context), viewerOf(context), request.id, fields, macro)) };
  };
}

// AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
// without one, every field given a non-default value is written.
function fieldsToUpdate(mask: string[] | undefined, macro: Macro): UpdatableMacroField[] {
  if (!mask || mask.length === 0) {
    const given: Record<UpdatableMacroField, boolean> = {
      name: macro.name !== "",
      short_code: macro.shortCode !== "",
      description: macro.description !== "",
      body: macro.body !== "",
      attachments: macro.attachments.length > 0,
      visibility: macro.visibility !== "",
      team_id: macro.teamId !== "",
      actions: macro.actions.length > 0,
    };
    return UPDATABLE_MACRO_FIELDS.filter((field) => given[field]);
  }
  const unknown = mask.filter((path) => !(UPDATABLE_MACRO_FIELDS as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_MACRO_FIELDS.join(", ")}` }]);
  }
  return mask as UpdatableMacroField[];
}
