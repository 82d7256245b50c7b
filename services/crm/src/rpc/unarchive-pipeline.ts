import { requireWorkspace } from "@velaflows/kit";
import { unarchivePipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function unarchivePipelineHandler(store: CrmStore): CrmHandlers["unarchivePipeline"] {
  return async (request, context) => ({ pipeline: toPipelineProto(await unarchivePipeline(store, requireWorkspace(context), request.id)) });
}
