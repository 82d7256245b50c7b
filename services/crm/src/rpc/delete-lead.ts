import { requireWorkspace } from "@velaflows/kit";
import { deleteLead } from "../domain/leads";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function deleteLeadHandler(store: CrmStore): CrmHandlers["deleteLead"] {
  return async (request, context) => {
    await deleteLead(store, requireWorkspace(context), request.id);
    return {};
  };
}
