import { requireWorkspace } from "@velaflows/kit";
import { getLead } from "../domain/leads";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getLeadHandler(store: CrmStore): CrmHandlers["getLead"] {
  return async (request, context) => ({ lead: toLeadProto(await getLead(store, requireWorkspace(context), request.id)) });
}
