import { requireWorkspace } from "@velaflows/kit";
import { createMacro } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function createMacroHandler(store: MacrosStore): MacrosHandlers["createMacro"] {
  return async (request, context) => ({ macro: toMacroProto(await createMacro(store, requireWorkspace(context), request, viewerOf(context))) });
}
