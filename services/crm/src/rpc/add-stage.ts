import { requireWorkspace } from "@velaflows/kit";
import { addStage } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto, toStageProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function addStageHandler(store: CrmStore): CrmHandlers["addStage"] {
  return async (request, context) => {
    const added = await addStage(store, requireWorkspace(context), request.pipelineId, request.stage!, request.position);
    return { stage: toStageProto(added.stage), pipeline: toPipelineProto(added.pipeline) };
  };
}
