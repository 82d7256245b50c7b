import { requireWorkspace } from "@velaflows/kit";
import { getMacro } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function getMacroHandler(store: MacrosStore): MacrosHandlers["getMacro"] {
  return async (request, context) => ({ macro: toMacroProto(await getMacro(store, requireWorkspace(context), viewerOf(context), request.id)) });
}
