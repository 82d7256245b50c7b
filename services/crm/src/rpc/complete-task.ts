import { requireWorkspace } from "@velaflows/kit";
import { completeTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";
import { actorOf } from "./actor";

export function completeTaskHandler(store: CrmStore): CrmHandlers["completeTask"] {
  return async (request, context) => ({ task: toTaskProto(await completeTask(store, requireWorkspace(context), request.id, actorOf(context))) });
}
