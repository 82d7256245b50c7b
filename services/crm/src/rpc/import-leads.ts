import { requireWorkspace } from "@velaflows/kit";
import { importLeads } from "../domain/leads-csv";
import type { CrmDependencies } from "../domain/dependencies";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function importLeadsHandler(store: CrmStore, deps: CrmDependencies): CrmHandlers["importLeads"] {
  return async (request, context) => importLeads(store, deps, requireWorkspace(context), { ...request, createdBy: actorOf(context) });
}
