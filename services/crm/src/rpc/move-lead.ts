import { requireWorkspace } from "@velaflows/kit";
import { moveLead } from "../domain/moves";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto, toStageChangeProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function moveLeadHandler(store: CrmStore): CrmHandlers["moveLead"] {
  return async (request, context) => {
    const moved = await moveLead(store, requireWorkspace(context), request.id, request, { actor: actorOf(context), lostReason: request.lostReason });
    return { lead: toLeadProto(moved.lead), change: moved.change && toStageChangeProto(moved.change) };
  };
}
