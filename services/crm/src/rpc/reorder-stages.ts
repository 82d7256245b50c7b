import { requireWorkspace } from "@velaflows/kit";
import { reorderStages } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function reorderStagesHandler(store: CrmStore): CrmHandlers["reorderStages"] {
  return async (request, context) => ({
    pipeline: toPipelineProto(await reorderStages(store, requireWorkspace(context), request.pipelineId, request.stageIds)),
  });
}
