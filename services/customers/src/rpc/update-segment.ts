import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { updateSegment } from "../domain/segments";
import { toSegmentProto } from "../persistence/customer.mapper";

export function updateSegmentHandler(store: CustomersStore, deps: CustomerDependencies): CustomersHandlers["updateSegment"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const changes = request.segment!; // REQUIRED: checked by the validation interceptor
    const paths = maskOrSetPaths(request.updateMask, changes as unknown as Record<string, unknown>);
    const { segment, customerCount } = await updateSegment(store, deps, workspaceId, request.id, paths, changes);
    return { segment: toSegmentProto(segment, customerCount) };
  };
}
