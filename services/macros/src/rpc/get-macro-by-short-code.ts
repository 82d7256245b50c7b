import { requireWorkspace } from "@velaflows/kit";
import { getMacroByShortCode } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function getMacroByShortCodeHandler(store: MacrosStore): MacrosHandlers["getMacroByShortCode"] {
  return async (request, context) => ({
    macro: toMacroProto(await getMacroByShortCode(store, requireWorkspace(context), viewerOf(context), request.shortCode)),
  });
}
