import { requireWorkspace } from "@velaflows/kit";
import { listLeadImportJobs } from "../domain/lead-imports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadImportJobProto } from "../persistence/lead-job.mapper";
import type { CrmHandlers } from "./handlers";

export function listLeadImportJobsHandler(store: CrmStore): CrmHandlers["listLeadImportJobs"] {
  return async (request, context) => {
    const page = await listLeadImportJobs(store, requireWorkspace(context), request);
    return { items: page.items.map(toLeadImportJobProto), pagination: page.pagination };
  };
}
