import { requireWorkspace } from "@velaflows/kit";
import { deleteActivity } from "../domain/activities";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function deleteActivityHandler(store: CrmStore): CrmHandlers["deleteActivity"] {
  return async (request, context) => {
    await deleteActivity(store, requireWorkspace(context), request.leadId, request.id);
    return {};
  };
}
