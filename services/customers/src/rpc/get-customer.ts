import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getCustomer } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function getCustomerHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getCustomer"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { customer: toCustomerProto(await getCustomer(store, workspaceId, request.id)) };
  };
}
