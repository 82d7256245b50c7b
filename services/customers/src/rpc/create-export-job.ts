import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { createExportJob } from "../domain/exports";
import { toExportJobProto } from "../persistence/customer.mapper";

export function createExportJobHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["createExportJob"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { job: toExportJobProto(await createExportJob(store, deps, workspaceId, request, actorOf(context))) };
  };
}
