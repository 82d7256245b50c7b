import { requireWorkspace } from "@velaflows/kit";
import { getTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getTaskHandler(store: CrmStore): CrmHandlers["getTask"] {
  return async (request, context) => ({ task: toTaskProto(await getTask(store, requireWorkspace(context), request.id)) });
}
