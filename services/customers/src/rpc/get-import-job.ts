import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getImportJob } from "../domain/imports";
import { toImportJobProto } from "../persistence/customer.mapper";

export function getImportJobHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getImportJob"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { job: toImportJobProto(await getImportJob(store, workspaceId, request.id)) };
  };
}
