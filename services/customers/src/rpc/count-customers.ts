import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { countCustomers } from "../domain/customers";

export function countCustomersHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["countCustomers"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { count: await countCustomers(store, deps, workspaceId, request.filter) };
  };
}
