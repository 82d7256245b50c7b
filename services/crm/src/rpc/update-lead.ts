import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import { updateLead } from "../domain/leads";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function updateLeadHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["updateLead"] {
  return async (request, context) => {
    const lead = request.lead!; // REQUIRED: checked by the validation interceptor
    // Output-only fields never count as given; the stage moves through MoveLead.
    const { id: _id, workspaceId: _ws, status: _status, createdBy: _by, createdAt: _at, updatedAt: _up, stageEnteredAt: _in, closedAt: _closed, ...given } = lead;
    const fields = maskOrSetPaths(request.updateMask, given);
    return { lead: toLeadProto(await updateLead(store, deps, requireWorkspace(context), request.id, fields, lead)) };
  };
}
