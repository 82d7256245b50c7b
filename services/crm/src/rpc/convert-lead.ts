import { requireWorkspace } from "@velaflows/kit";
import { convertLead } from "../domain/conversions";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function convertLeadHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["convertLead"] {
  return async (request, context) => {
    const converted = await convertLead(store, deps, requireWorkspace(context), request.id, actorOf(context));
    return { lead: toLeadProto(converted.lead), customerId: converted.customerId, customerCreated: converted.customerCreated };
  };
}
