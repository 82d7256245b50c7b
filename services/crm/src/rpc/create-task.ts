import { requireWorkspace } from "@velaflows/kit";
import { createTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function createTaskHandler(store: CrmStore): CrmHandlers["createTask"] {
  return async (request, context) => ({ task: toTaskProto(await createTask(store, requireWorkspace(context), { ...request, createdBy: actorOf(context) })) });
}
