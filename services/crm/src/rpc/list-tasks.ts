import { requireWorkspace } from "@velaflows/kit";
import { listTasks } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listTasksHandler(store: CrmStore): CrmHandlers["listTasks"] {
  return async (request, context) => {
    const page = await listTasks(store, requireWorkspace(context), request, request, { userId: context.userId });
    return { items: page.items.map(toTaskProto), pagination: page.pagination };
  };
}
