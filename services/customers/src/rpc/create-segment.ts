import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { createSegment } from "../domain/segments";
import { toSegmentProto } from "../persistence/customer.mapper";

export function createSegmentHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["createSegment"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const { segment, customerCount } = await createSegment(store, deps, workspaceId, request, actorOf(context));
    return { segment: toSegmentProto(segment, customerCount) };
  };
}
