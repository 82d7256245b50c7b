import { fieldsToUpdate, requireWorkspace } from "@velaflows/kit";
import type { Macro } from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import { UPDATABLE_MACRO_FIELDS, updateMacro, type UpdatableMacroField } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function updateMacroHandler(store: MacrosStore): MacrosHandlers["updateMacro"] {
  return async (request, context) => {
    const macro = request.macro!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_MACRO_FIELDS, (field) => isSet[field](macro));
    return { macro: toMacroProto(await updateMacro(store, requireWorkspace(context), viewerOf(context), request.id, fields, macro)) };
  };
}

// Whether the request sets each field (a non-default value), for an update without a mask.
const isSet: Record<UpdatableMacroField, (macro: Macro) => boolean> = {
  name: (m) => m.name !== "",
  short_code: (m) => m.shortCode !== "",
  description: (m) => m.description !== "",
  body: (m) => m.body !== "",
  attachments: (m) => m.attachments.length > 0,
  visibility: (m) => m.visibility !== "",
  team_id: (m) => m.teamId !== "",
  actions: (m) => m.actions.length > 0,
};
