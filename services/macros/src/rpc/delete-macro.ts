import { requireWorkspace } from "@velaflows/kit";
import { deleteMacro } from "../domain/macros";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function deleteMacroHandler(store: MacrosStore): MacrosHandlers["deleteMacro"] {
  return async (request, context) => {
    await deleteMacro(store, requireWorkspace(context), viewerOf(context), request.id);
    return {};
  };
}
