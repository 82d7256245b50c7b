import { requireWorkspace } from "@velaflows/kit";
import { getPipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getPipelineHandler(store: CrmStore): CrmHandlers["getPipeline"] {
  return async (request, context) => ({ pipeline: toPipelineProto(await getPipeline(store, requireWorkspace(context), request.id)) });
}
