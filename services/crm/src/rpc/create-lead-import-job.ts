import { requireWorkspace } from "@velaflows/kit";
import { createLeadImportJob } from "../domain/lead-imports";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadImportJobProto } from "../persistence/lead-job.mapper";
import { actorOf } from "./actor";
import type { CrmHandlers } from "./handlers";

export function createLeadImportJobHandler(store: CrmStore): CrmHandlers["createLeadImportJob"] {
  return async (request, context) => ({ job: toLeadImportJobProto(await createLeadImportJob(store, requireWorkspace(context), request, actorOf(context) ?? null)) });
}
