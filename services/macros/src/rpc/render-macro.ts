import { requireWorkspace } from "@velaflows/kit";
import { renderVisibleMacro } from "../domain/macros";
import type { MacrosStore } from "../persistence/macros-store";
import { viewerOf, type MacrosHandlers } from "./handlers";
import { toRenderContext, toResolvedActionProto } from "./render-context";

export function renderMacroHandler(store: MacrosStore): MacrosHandlers["renderMacro"] {
  return async (request, context) => {
    const rendered = await renderVisibleMacro(store, requireWorkspace(context), viewerOf(context), request.id, toRenderContext(request.context));
    return {
      text: rendered.text,
      actions: rendered.actions.map(toResolvedActionProto),
      missingVariables: rendered.missing,
      unknownVariables: rendered.unknown,
      warnings: rendered.warnings,
    };
  };
}
