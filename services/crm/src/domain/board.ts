import { NotFoundError, type ListParams } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { LeadEntity, StageEntity } from "../persistence/entities";
import type { PipelineWithStages } from "../persistence/pipeline.repository";
import { getPipeline } from "./pipelines";

export const DEFAULT_LEADS_PER_STAGE = 20;

/** One column of the board. */
export interface Column {
  stage: StageEntity;
  leadCount: number;
  valueSums: { currency: string; amount: string }[];
  leads: LeadEntity[];
  hasMore: boolean;
}

/** The kanban board of a pipeline: per stage, counts, value sums per currency and the newest leads. */
export async function getBoard(
  store: CrmStore,
  workspaceId: string,
  pipelineId: string,
  options: { leadsPerStage: number; ownerId?: string },
): Promise<{ pipeline: PipelineWithStages; columns: Column[] }> {
  const perStage = options.leadsPerStage || DEFAULT_LEADS_PER_STAGE;
  // Independent reads, sent at once on separate connections: the board costs one round trip.
  const [pipeline, totals, leads] = await Promise.all([
    getPipeline(store, workspaceId, pipelineId),
    store.read.leads.stageTotals(workspaceId, pipelineId, options.ownerId),
    store.read.leads.boardLeads(workspaceId, pipelineId, perStage, options.ownerId),
  ]);
  const columns = pipeline.stages.map((stage): Column => {
    const ofStage = totals.filter((t) => t.stageId === stage.id);
    const stageLeads = leads.filter((l) => l.stageId === stage.id);
    return {
      stage,
      leadCount: ofStage.reduce((sum, t) => sum + t.count, 0),
      valueSums: ofStage.map((t) => ({ currency: t.currency, amount: t.amount })),
      leads: stageLeads.slice(0, perStage),
      hasMore: stageLeads.length > perStage,
    };
  });
  return { pipeline, columns };
}

/** One page of one stage's leads, in board order. */
export async function listStageLeads(store: CrmStore, workspaceId: string, pipelineId: string, stageId: string, ownerId: string | undefined, params: ListParams) {
  const stage = await store.read.pipelines.findStage(workspaceId, stageId);
  if (!stage || stage.pipelineId !== pipelineId) throw new NotFoundError("Stage", stageId);
  return store.read.leads.stagePage(workspaceId, pipelineId, stageId, ownerId, params);
}
