import { requireWorkspace } from "@velaflows/kit";
import { logActivity } from "../domain/activities";
import type { CrmStore } from "../persistence/crm-store";
import { toActivityProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function logActivityHandler(store: CrmStore): CrmHandlers["logActivity"] {
  return async (request, context) => ({
    activity: toActivityProto(await logActivity(store, requireWorkspace(context), { ...request, createdBy: actorOf(context) })),
  });
}
