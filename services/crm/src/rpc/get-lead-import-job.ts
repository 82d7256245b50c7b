import { requireWorkspace } from "@velaflows/kit";
import { getLeadImportJob } from "../domain/lead-imports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadImportJobProto } from "../persistence/lead-job.mapper";
import type { CrmHandlers } from "./handlers";

export function getLeadImportJobHandler(store: CrmStore): CrmHandlers["getLeadImportJob"] {
  return async (request, context) => ({ job: toLeadImportJobProto(await getLeadImportJob(store, requireWorkspace(context), request.id)) });
}
