import { maskOrSetPaths, requireWorkspace } from "@velaflows/kit";
import { updateTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function updateTaskHandler(store: CrmStore): CrmHandlers["updateTask"] {
  return async (request, context) => {
    const task = request.task!; // REQUIRED: checked by the validation interceptor
    const { title, description, dueAt, assigneeId, priority, leadId, customerId } = task;
    const fields = maskOrSetPaths(request.updateMask, { title, description, dueAt, assigneeId, priority, leadId, customerId });
    return { task: toTaskProto(await updateTask(store, requireWorkspace(context), request.id, fields, task)) };
  };
}
