import { requireWorkspace } from "@velaflows/kit";
import { getForecast } from "../domain/forecast";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmHandlers } from "./handlers";

export function getForecastHandler(store: CrmStore): CrmHandlers["getForecast"] {
  return async (request, context) =>
    getForecast(store, requireWorkspace(context), request.pipelineId, {
      fromMonth: request.fromMonth,
      toMonth: request.toMonth,
      ownerId: request.ownerId || undefined,
    });
}
