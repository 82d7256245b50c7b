import { requireWorkspace } from "@velaflows/kit";
import { ensureDefaultPipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getDefaultPipelineHandler(store: CrmStore): CrmHandlers["getDefaultPipeline"] {
  return async (_request, context) => ({ pipeline: toPipelineProto(await ensureDefaultPipeline(store, requireWorkspace(context))) });
}
