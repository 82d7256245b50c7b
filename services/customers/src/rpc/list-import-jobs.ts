import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listImportJobs } from "../domain/imports";
import { toImportJobProto } from "../persistence/customer.mapper";

export function listImportJobsHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["listImportJobs"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listImportJobs(store, workspaceId, request);
    return { items: page.items.map(toImportJobProto), pagination: page.pagination };
  };
}
