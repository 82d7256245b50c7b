import { requireWorkspace } from "@velaflows/kit";
import { bulkUpdateLeads } from "../domain/moves";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function bulkUpdateLeadsHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["bulkUpdateLeads"] {
  return async (request, context) => {
    const result = await bulkUpdateLeads(store, deps, requireWorkspace(context), request.leadIds, request, { actor: actorOf(context), lostReason: request.lostReason });
    return { updatedCount: result.updatedCount, leads: result.leads.map(toLeadProto) };
  };
}
