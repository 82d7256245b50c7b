import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { createImportJob } from "../domain/imports";
import { toImportJobProto } from "../persistence/customer.mapper";

export function createImportJobHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["createImportJob"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const job = await createImportJob(store, workspaceId, { ...request, file: Buffer.from(request.file) }, actorOf(context));
    return { job: toImportJobProto(job) };
  };
}
