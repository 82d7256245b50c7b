import { requireWorkspace } from "@velaflows/kit";
import { createLead } from "../domain/leads";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function createLeadHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["createLead"] {
  return async (request, context) => ({
    lead: toLeadProto(await createLead(store, deps, requireWorkspace(context), { ...request, createdBy: actorOf(context) })),
  });
}
