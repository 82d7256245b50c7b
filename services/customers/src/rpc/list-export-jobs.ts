import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listExportJobs } from "../domain/exports";
import { toExportJobProto } from "../persistence/customer.mapper";

export function listExportJobsHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["listExportJobs"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listExportJobs(store, workspaceId, request);
    return { items: page.items.map(toExportJobProto), pagination: page.pagination };
  };
}
