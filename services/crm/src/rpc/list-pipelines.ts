import { requireWorkspace } from "@velaflows/kit";
import { listPipelines } from "../domain/pipelines";
import type { CrmStore } from "../persistence/crm-store";
import { toPipelineProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listPipelinesHandler(store: CrmStore): CrmHandlers["listPipelines"] {
  return async (request, context) => ({
    items: (await listPipelines(store, requireWorkspace(context), request.includeArchived)).map(toPipelineProto),
  });
}
