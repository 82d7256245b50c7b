import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { updateCustomer } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function updateCustomerHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["updateCustomer"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const customer = request.customer!; // REQUIRED: checked by the validation interceptor
    const paths = maskOrSetPaths(request.updateMask, customer as unknown as Record<string, unknown>);
    return { customer: toCustomerProto(await updateCustomer(store, deps, workspaceId, request.id, paths, customer, actorOf(context))) };
  };
}
