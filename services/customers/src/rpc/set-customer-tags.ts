import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { setCustomerTags } from "../domain/customers";
import { toCustomerProto } from "../persistence/customer.mapper";

export function setCustomerTagsHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["setCustomerTags"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { customer: toCustomerProto(await setCustomerTags(store, deps, workspaceId, request.id, request.tagIds, actorOf(context))) };
  };
}
