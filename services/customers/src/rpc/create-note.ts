import { requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { createNote } from "../domain/notes";
import { toNoteProto } from "../persistence/customer.mapper";

export function createNoteHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["createNote"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    return { note: toNoteProto(await createNote(store, workspaceId, request.customerId, request, actorOf(context))) };
  };
}
