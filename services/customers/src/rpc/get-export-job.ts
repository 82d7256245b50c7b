import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getExportJob } from "../domain/exports";
import { toExportJobProto } from "../persistence/customer.mapper";

export function getExportJobHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getExportJob"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { job: toExportJobProto(await getExportJob(store, workspaceId, request.id)) };
  };
}
