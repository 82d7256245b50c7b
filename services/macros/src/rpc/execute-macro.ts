import { requireWorkspace } from "@velaflows/kit";
import { executeMacro } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";
import { toExecutionProto, toRenderContext } from "./render-context";

export function executeMacroHandler(store: MacrosStore): MacrosHandlers["executeMacro"] {
  return async (request, context) => {
    const viewer = { ...viewerOf(context), actorId: context.userId ?? context.apiTokenId };
    const target = { conversationId: request.conversationId, context: toRenderContext(request.context) };
    const { executions, macro } = await executeMacro(store, requireWorkspace(context), viewer, request.id, [target]);
    return { ...toExecutionProto(executions[0]!), macro: toMacroProto(macro) };
  };
}
