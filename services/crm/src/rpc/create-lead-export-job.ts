import { requireWorkspace } from "@velaflows/kit";
import { createLeadExportJob } from "../domain/lead-exports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadExportJobProto } from "../persistence/lead-job.mapper";
import { actorOf } from "./actor";
import type { CrmHandlers } from "./handlers";

export function createLeadExportJobHandler(store: CrmStore): CrmHandlers["createLeadExportJob"] {
  return async (request, context) => ({
    job: toLeadExportJobProto(await createLeadExportJob(store, requireWorkspace(context), { ...request.filter }, actorOf(context) ?? null)),
  });
}
