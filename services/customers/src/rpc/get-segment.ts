import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getSegment } from "../domain/segments";
import { toSegmentProto } from "../persistence/customer.mapper";

export function getSegmentHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getSegment"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const { segment, customerCount } = await getSegment(store, workspaceId, request.id);
    return { segment: toSegmentProto(segment, customerCount) };
  };
}
