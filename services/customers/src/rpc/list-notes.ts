import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import type { CustomersHandlers } from "./handlers";
import { listNotes } from "../domain/notes";
import { toNoteProto } from "../persistence/customer.mapper";

export function listNotesHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["listNotes"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const page = await listNotes(store, workspaceId, request.customerId, request);
    return { items: page.items.map(toNoteProto), pagination: page.pagination };
  };
}
