import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { mergeCustomers } from "../domain/merge";
import { toCustomerProto, toMergeProto } from "../persistence/customer.mapper";

export function mergeCustomersHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["mergeCustomers"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const { customer, merge } = await mergeCustomers(store, deps, workspaceId, request.id, request.sourceIds, actorOf(context));
    return { customer: toCustomerProto(customer), merge: toMergeProto(merge) };
  };
}
