import { requireWorkspace } from "@velaflows/kit";
import { archivePipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function archivePipelineHandler(store: CrmStore): CrmHandlers["archivePipeline"] {
  return async (request, context) => ({ pipeline: toPipelineProto(await archivePipeline(store, requireWorkspace(context), request.id)) });
}
