import { requireWorkspace } from "@velaflows/kit";
import { listStageLeads } from "../domain/board";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listStageLeadsHandler(store: CrmStore): CrmHandlers["listStageLeads"] {
  return async (request, context) => {
    const page = await listStageLeads(store, requireWorkspace(context), request.pipelineId, request.stageId, request.ownerId || undefined, request);
    return { items: page.items.map(toLeadProto), pagination: page.pagination };
  };
}
