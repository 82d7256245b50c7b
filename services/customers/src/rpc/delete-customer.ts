import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { deleteCustomer } from "../domain/customers";

export function deleteCustomerHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["deleteCustomer"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    await deleteCustomer(store, deps, workspaceId, request.id);
    return {};
  };
}
