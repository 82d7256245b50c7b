import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listMerges } from "../domain/merge";
import { toMergeProto } from "../persistence/customer.mapper";

export function listMergesHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["listMerges"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listMerges(store, workspaceId, request.targetId || undefined, request);
    return { items: page.items.map(toMergeProto), pagination: page.pagination };
  };
}
