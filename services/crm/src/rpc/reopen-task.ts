import { requireWorkspace } from "@velaflows/kit";
import { reopenTask } from "../domain/tasks";
import type { CrmStore } from "../persistence/crm-store";
import { toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function reopenTaskHandler(store: CrmStore): CrmHandlers["reopenTask"] {
  return async (request, context) => ({ task: toTaskProto(await reopenTask(store, requireWorkspace(context), request.id)) });
}
