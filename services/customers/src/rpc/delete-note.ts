import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { deleteNote } from "../domain/notes";

export function deleteNoteHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["deleteNote"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    await deleteNote(store, workspaceId, request.customerId, request.id, actorOf(context));
    return {};
  };
}
