import { requireWorkspace } from "@velaflows/kit";
import { getLeadExportJob } from "../domain/lead-exports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadExportJobProto } from "../persistence/lead-job.mapper";
import type { CrmHandlers } from "./handlers";

export function getLeadExportJobHandler(store: CrmStore): CrmHandlers["getLeadExportJob"] {
  return async (request, context) => ({ job: toLeadExportJobProto(await getLeadExportJob(store, requireWorkspace(context), request.id)) });
}
