import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { getTimeline } from "../domain/notes";
import { toTimelineProto } from "../persistence/customer.mapper";

export function getTimelineHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["getTimeline"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await getTimeline(store, workspaceId, request.id, request.types, request);
    return { items: page.items.map(toTimelineProto), pagination: page.pagination };
  };
}
