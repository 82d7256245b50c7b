import { bindService, type ServiceBinding } from "@velaflows/kit";
import { CrmServiceService } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import type { CrmStore } from "./persistence/crm-store";
import { addStageHandler } from "./rpc/add-stage";
import { archivePipelineHandler } from "./rpc/archive-pipeline";
import { bulkUpdateLeadsHandler } from "./rpc/bulk-update-leads";
import { createLeadHandler } from "./rpc/create-lead";
import { createPipelineHandler } from "./rpc/create-pipeline";
import { deleteLeadHandler } from "./rpc/delete-lead";
import { deleteStageHandler } from "./rpc/delete-stage";
import { getBoardHandler } from "./rpc/get-board";
import { getDefaultPipelineHandler } from "./rpc/get-default-pipeline";
import { getLeadHandler } from "./rpc/get-lead";
import { getPipelineHandler } from "./rpc/get-pipeline";
import { listLeadHistoryHandler } from "./rpc/list-lead-history";
import { listLeadsHandler } from "./rpc/list-leads";
import { listPipelinesHandler } from "./rpc/list-pipelines";
import { listStageLeadsHandler } from "./rpc/list-stage-leads";
import { moveLeadHandler } from "./rpc/move-lead";
import { reorderStagesHandler } from "./rpc/reorder-stages";
import { updateLeadHandler } from "./rpc/update-lead";
import { updatePipelineHandler } from "./rpc/update-pipeline";
import { updateStageHandler } from "./rpc/update-stage";

/** The CrmService: one handler per RPC, each given the store it works on. */
export function createCrmService(store: CrmStore): ServiceBinding {
  return bindService(CrmServiceService, {
    createPipeline: createPipelineHandler(store),
    listPipelines: listPipelinesHandler(store),
    getDefaultPipeline: getDefaultPipelineHandler(store),
    getPipeline: getPipelineHandler(store),
    updatePipeline: updatePipelineHandler(store),
    archivePipeline: archivePipelineHandler(store),
    addStage: addStageHandler(store),
    updateStage: updateStageHandler(store),
    deleteStage: deleteStageHandler(store),
    reorderStages: reorderStagesHandler(store),
    getBoard: getBoardHandler(store),
    listStageLeads: listStageLeadsHandler(store),
    createLead: createLeadHandler(store),
    getLead: getLeadHandler(store),
    updateLead: updateLeadHandler(store),
    deleteLead: deleteLeadHandler(store),
    listLeads: listLeadsHandler(store),
    moveLead: moveLeadHandler(store),
    listLeadHistory: listLeadHistoryHandler(store),
    bulkUpdateLeads: bulkUpdateLeadsHandler(store),
  });
}
