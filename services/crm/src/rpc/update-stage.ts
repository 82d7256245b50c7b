import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import { updateStage } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toStageProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function updateStageHandler(store: CrmStore): CrmHandlers["updateStage"] {
  return async (request, context) => {
    const stage = request.stage!; // REQUIRED: checked by the validation interceptor
    const { name, color, probability, isWon, isLost } = stage;
    const fields = maskOrSetPaths(request.updateMask, { name, color, probability, isWon, isLost });
    return { stage: toStageProto(await updateStage(store, requireWorkspace(context), request.pipelineId, request.id, fields, stage)) };
  };
}
