import { requireWorkspace } from "@velaflows/kit";
import { executeMacro } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";
import { toExecutionProto, toRenderContext } from "./render-context";

export function bulkExecuteMacroHandler(store: MacrosStore): MacrosHandlers["bulkExecuteMacro"] {
  return async (request, context) => {
    const viewer = { ...viewerOf(context), actorId: context.userId ?? context.apiTokenId };
    const targets = request.targets.map((t) => ({ conversationId: t.conversationId, context: toRenderContext(t.context) }));
    const { executions, macro } = await executeMacro(store, requireWorkspace(context), viewer, request.id, targets);
    return { items: executions.map(toExecutionProto), macro: toMacroProto(macro) };
  };
}
