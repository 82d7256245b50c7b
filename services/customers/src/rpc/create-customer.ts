import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { createCustomer } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function createCustomerHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["createCustomer"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const customer = await createCustomer(store, deps, workspaceId, request, actorOf(context));
    return { customer: toCustomerProto(customer) };
  };
}
