import { requireWorkspace } from "@velaflows/kit";
import { leadHistory } from "../domain/moves";
import type { CrmStore } from "../persistence/crm-store";
import { toStageChangeProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function listLeadHistoryHandler(store: CrmStore): CrmHandlers["listLeadHistory"] {
  return async (request, context) => ({ items: (await leadHistory(store, requireWorkspace(context), request.id)).map(toStageChangeProto) });
}
