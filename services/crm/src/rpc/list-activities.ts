import { requireWorkspace } from "@velaflows/kit";
import { listActivities } from "../domain/activities";
import type { CrmStore } from "../persistence/crm-store";
import { toActivityProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listActivitiesHandler(store: CrmStore): CrmHandlers["listActivities"] {
  return async (request, context) => {
    const page = await listActivities(store, requireWorkspace(context), request.leadId, request.type || undefined, request);
    return { items: page.items.map(toActivityProto), pagination: page.pagination };
  };
}
