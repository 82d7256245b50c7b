import { requireWorkspace } from "@velaflows/kit";
import { listLeadExportJobs } from "../domain/lead-exports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadExportJobProto } from "../persistence/lead-job.mapper";
import type { CrmHandlers } from "./handlers";

export function listLeadExportJobsHandler(store: CrmStore): CrmHandlers["listLeadExportJobs"] {
  return async (request, context) => {
    const page = await listLeadExportJobs(store, requireWorkspace(context), request);
    return { items: page.items.map(toLeadExportJobProto), pagination: page.pagination };
  };
}
