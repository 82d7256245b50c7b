import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listSegments } from "../domain/segments";
import { toSegmentProto } from "../persistence/customer.mapper";

export function listSegmentsHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["listSegments"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listSegments(store, workspaceId, request);
    return { items: page.items.map((s) => toSegmentProto(s.segment, s.customerCount)), pagination: page.pagination };
  };
}
