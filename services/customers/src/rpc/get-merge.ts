import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getMerge } from "../domain/merge";
import { toMergeProto } from "../persistence/customer.mapper";

export function getMergeHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getMerge"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { merge: toMergeProto(await getMerge(store, workspaceId, request.id)) };
  };
}
