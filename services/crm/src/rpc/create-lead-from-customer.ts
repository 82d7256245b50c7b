import { requireWorkspace } from "@velaflows/kit";
import { createLeadFromCustomer } from "../domain/conversions";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function createLeadFromCustomerHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["createLeadFromCustomer"] {
  return async (request, context) => ({
    lead: toLeadProto(await createLeadFromCustomer(store, deps, requireWorkspace(context), { ...request, createdBy: actorOf(context) })),
  });
}
