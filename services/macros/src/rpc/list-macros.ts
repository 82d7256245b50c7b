import { requireWorkspace } from "@velaflows/kit";
import { listMacros } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";

export function listMacrosHandler(store: MacrosStore): MacrosHandlers["listMacros"] {
  return async (request, context) => {
    const filter = {
      visibility: request.visibility || undefined,
      teamId: request.teamId || undefined,
      kind: (request.kind || undefined) as "quick_reply" | "multi_action" | undefined,
    };
    const page = await listMacros(store, requireWorkspace(context), viewerOf(context), filter, request);
    return { items: page.items.map(toMacroProto), pagination: page.pagination };
  };
}
