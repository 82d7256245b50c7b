import { requireWorkspace } from "@velaflows/kit";
import { leadTimeline } from "../domain/activities";
import type { CrmStore } from "../persistence/crm-store";
import { toActivityProto, toStageChangeProto, toTaskProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getLeadTimelineHandler(store: CrmStore): CrmHandlers["getLeadTimeline"] {
  return async (request, context) => {
    const page = await leadTimeline(store, requireWorkspace(context), request.id, request);
    return {
      items: page.items.map((item) => {
        if (item.kind === "activity") return { kind: item.kind, at: item.at, activity: toActivityProto(item.activity) };
        if (item.kind === "stage_change") return { kind: item.kind, at: item.at, stageChange: toStageChangeProto(item.stageChange) };
        return { kind: item.kind, at: item.at, task: toTaskProto(item.task) };
      }),
      pagination: page.pagination,
    };
  };
}
