import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { deleteSegment } from "../domain/segments";

export function deleteSegmentHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["deleteSegment"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    await deleteSegment(store, workspaceId, request.id);
    return {};
  };
}
