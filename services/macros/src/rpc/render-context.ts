import type {
  MacroExecution,
  RenderContext as RenderContextProto,
  ResolvedAction as ResolvedActionProto,
} from "@velaflows/proto/ts/velaflows/macros/v1/macros";
import type { Execution, RenderContext, ResolvedAction } from "../domain/macros";
import { toActionProto } from "../persistence/macro.mapper";

/** The request's context (Structs, already plain objects) as the domain reads it. */
export function toRenderContext(context: RenderContextProto | undefined): RenderContext {
  return { customer: context?.customer, agent: context?.agent, conversation: context?.conversation, workspace: context?.workspace };
}

export function toResolvedActionProto(action: ResolvedAction): ResolvedActionProto {
  return toActionProto(action);
}

export function toExecutionProto({ executionId, conversationId, rendered }: Execution): MacroExecution {
  return {
    executionId,
    conversationId,
    actions: rendered.actions.map(toResolvedActionProto),
    missingVariables: rendered.missing,
    unknownVariables: rendered.unknown,
  };
}
