import { requireWorkspace } from "@velaflows/kit";
import { createPipeline } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function createPipelineHandler(store: CrmStore): CrmHandlers["createPipeline"] {
  return async (request, context) => ({
    pipeline: toPipelineProto(await createPipeline(store, requireWorkspace(context), { ...request, createdBy: actorOf(context) })),
  });
}
