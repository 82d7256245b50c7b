import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listCustomers } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function listCustomersHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["listCustomers"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listCustomers(store, deps, workspaceId, request);
    return { items: page.items.map(toCustomerProto), pagination: page.pagination };
  };
}
