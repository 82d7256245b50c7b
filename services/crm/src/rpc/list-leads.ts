import { requireWorkspace } from "@velaflows/kit";
import { listLeads, parsePropertyConditions } from "../domain/leads";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listLeadsHandler(store: CrmStore): CrmHandlers["listLeads"] {
  return async (request, context) => {
    const page = await listLeads(
      store,
      requireWorkspace(context),
      {
        pipelineId: request.pipelineId || undefined,
        stageId: request.stageId || undefined,
        ownerId: request.ownerId || undefined,
        status: request.status || undefined,
        tagId: request.tagId || undefined,
        customerId: request.customerId || undefined,
        minValue: request.minValue,
        maxValue: request.maxValue,
        createdAfter: request.createdAfter,
        createdBefore: request.createdBefore,
        customProperties: parsePropertyConditions(request.customProperties),
      },
      request,
    );
    return { items: page.items.map(toLeadProto), pagination: page.pagination };
  };
}
