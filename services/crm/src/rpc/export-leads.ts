import { csvFile, requireWorkspace } from "@velaflows/kit";
import { exportLeads } from "../domain/leads-csv";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function exportLeadsHandler(store: CrmStore): CrmHandlers["exportLeads"] {
  return async (request, context) => {
    const { csv, rowCount } = await exportLeads(store, requireWorkspace(context), {
      pipelineId: request.pipelineId || undefined,
      stageId: request.stageId || undefined,
      ownerId: request.ownerId || undefined,
      status: request.status || undefined,
    });
    return { file: csvFile(csv, "leads.csv"), rowCount };
  };
}
