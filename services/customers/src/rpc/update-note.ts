import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import type { CustomerDependencies } from "../domain/dependencies";
import { actorOf, type CustomersHandlers } from "./handlers";
import { updateNote } from "../domain/notes";
import { toNoteProto } from "../persistence/customer.mapper";

export function updateNoteHandler(store: CustomersStore, _deps: CustomerDependencies): CustomersHandlers["updateNote"] {
  return async (request, context) => {
    const workspaceId = requireWorkspace(context);
    const note = request.note!; // REQUIRED: checked by the validation interceptor
    const paths = maskOrSetPaths(request.updateMask, note as unknown as Record<string, unknown>);
    return { note: toNoteProto(await updateNote(store, workspaceId, request.customerId, request.id, paths, note, actorOf(context))) };
  };
}
