import { requireWorkspace } from "@velaflows/kit";
import { executeMacro } from "../domain/macros";
import { toMacroProto } from "../persistence/macro.mapper";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";
import { toRenderContext, toResolvedActionProto } from "./render-context";

export function executeMacroHandler(store: MacrosStore): MacrosHandlers["executeMacro"] {
  return async (request, context) => {
    const viewer = { ...viewerOf(context), actorId: context.userId ?? context.apiTokenId };
    const { executionId, rendered, macro } = await executeMacro(
      store,
      requireWorkspace(context),
      viewer,
      request.id,
      request.conversationId,
      toRenderContext(request.context),
    );
    return {
      executionId,
      conversationId: request.conversationId,
      actions: rendered.actions.map(toResolvedActionProto),
      missingVariables: rendered.missing,
      unknownVariables: rendered.unknown,
      macro: toMacroProto(macro),
    };
  };
}
