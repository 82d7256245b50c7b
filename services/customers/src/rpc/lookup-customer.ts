import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { lookupCustomer } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function lookupCustomerHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["lookupCustomer"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { customer: toCustomerProto(await lookupCustomer(store, workspaceId, request)) };
  };
}
