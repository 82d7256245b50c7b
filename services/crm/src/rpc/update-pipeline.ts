import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import { updatePipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function updatePipelineHandler(store: CrmStore): CrmHandlers["updatePipeline"] {
  return async (request, context) => {
    const pipeline = request.pipeline!; // REQUIRED: checked by the validation interceptor
    const fields = maskOrSetPaths(request.updateMask, { name: pipeline.name, isDefault: pipeline.isDefault });
    return { pipeline: toPipelineProto(await updatePipeline(store, requireWorkspace(context), request.id, fields, pipeline)) };
  };
}
