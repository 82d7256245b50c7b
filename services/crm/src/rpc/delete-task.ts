import { requireWorkspace } from "@velaflows/kit";
import { deleteTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function deleteTaskHandler(store: CrmStore): CrmHandlers["deleteTask"] {
  return async (request, context) => {
    await deleteTask(store, requireWorkspace(context), request.id);
    return {};
  };
}
