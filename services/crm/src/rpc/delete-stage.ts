import { requireWorkspace } from "@velaflows/kit";
import { deleteStage } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function deleteStageHandler(store: CrmStore): CrmHandlers["deleteStage"] {
  return async (request, context) => ({ pipeline: toPipelineProto(await deleteStage(store, requireWorkspace(context), request.pipelineId, request.id)) });
}
