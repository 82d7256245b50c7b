import { requireWorkspace } from "@velaflows/kit";
import { getBoard } from "../domain/board";
import type { CrmStore } from "../persistence/crm-store";
import { toLeadProto, toPipelineProto, toStageProto } from "../persistence/mappers";
import type { CrmHandlers } from "./handlers";

export function getBoardHandler(store: CrmStore): CrmHandlers["getBoard"] {
  return async (request, context) => {
    const board = await getBoard(store, requireWorkspace(context), request.pipelineId, {
      leadsPerStage: request.leadsPerStage,
      ownerId: request.ownerId || undefined,
    });
    return {
      pipeline: toPipelineProto(board.pipeline),
      columns: board.columns.map((column) => ({
        stage: toStageProto(column.stage),
        leadCount: column.leadCount,
        valueSums: column.valueSums,
        leads: column.leads.map(toLeadProto),
        hasMore: column.hasMore,
      })),
    };
  };
}
