import { bindService, type ServiceBinding } from "@velaflows/kit";
import { CrmServiceService } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import type { CrmDependencies } from "./domain/dependencies";
import type { CrmStore } from "./persistence/crm-store";
import { addStageHandler } from "./rpc/add-stage";
import { archivePipelineHandler } from "./rpc/archive-pipeline";
import { bulkUpdateLeadsHandler } from "./rpc/bulk-update-leads";
import { completeTaskHandler } from "./rpc/complete-task";
import { convertLeadHandler } from "./rpc/convert-lead";
import { createLeadHandler } from "./rpc/create-lead";
import { createLeadFromCustomerHandler } from "./rpc/create-lead-from-customer";
import { createPipelineHandler } from "./rpc/create-pipeline";
import { createTaskHandler } from "./rpc/create-task";
import { deleteActivityHandler } from "./rpc/delete-activity";
import { deleteLeadHandler } from "./rpc/delete-lead";
import { deleteStageHandler } from "./rpc/delete-stage";
import { deleteTaskHandler } from "./rpc/delete-task";
import { getBoardHandler } from "./rpc/get-board";
import { getDefaultPipelineHandler } from "./rpc/get-default-pipeline";
import { getForecastHandler } from "./rpc/get-forecast";
import { getLeadHandler } from "./rpc/get-lead";
import { getLeadTimelineHandler } from "./rpc/get-lead-timeline";
import { getPipelineHandler } from "./rpc/get-pipeline";
import { getTaskHandler } from "./rpc/get-task";
import { listActivitiesHandler } from "./rpc/list-activities";
import { listLeadHistoryHandler } from "./rpc/list-lead-history";
import { listLeadsHandler } from "./rpc/list-leads";
import { listPipelinesHandler } from "./rpc/list-pipelines";
import { listStageLeadsHandler } from "./rpc/list-stage-leads";
import { listTasksHandler } from "./rpc/list-tasks";
import { logActivityHandler } from "./rpc/log-activity";
import { moveLeadHandler } from "./rpc/move-lead";
import { reopenTaskHandler } from "./rpc/reopen-task";
import { reorderStagesHandler } from "./rpc/reorder-stages";
import { unarchivePipelineHandler } from "./rpc/unarchive-pipeline";
import { updateLeadHandler } from "./rpc/update-lead";
import { updatePipelineHandler } from "./rpc/update-pipeline";
import { updateStageHandler } from "./rpc/update-stage";
import { updateTaskHandler } from "./rpc/update-task";

import { createLeadExportJobHandler } from "./rpc/create-lead-export-job";
import { createLeadImportJobHandler } from "./rpc/create-lead-import-job";
import { downloadLeadExportHandler } from "./rpc/download-lead-export";
import { getLeadExportJobHandler } from "./rpc/get-lead-export-job";
import { getLeadImportErrorsHandler } from "./rpc/get-lead-import-errors";
import { getLeadImportJobHandler } from "./rpc/get-lead-import-job";
import { listLeadExportJobsHandler } from "./rpc/list-lead-export-jobs";
import { listLeadImportJobsHandler } from "./rpc/list-lead-import-jobs";
/** The CrmService: one handler per RPC, each given the store it works on (and the services it calls). */
export function createCrmService(store: CrmStore, deps: CrmDependencies): ServiceBinding {
  return bindService(CrmServiceService, {
    createPipeline: createPipelineHandler(store),
    listPipelines: listPipelinesHandler(store),
    getDefaultPipeline: getDefaultPipelineHandler(store),
    getPipeline: getPipelineHandler(store),
    updatePipeline: updatePipelineHandler(store),
    archivePipeline: archivePipelineHandler(store),
    unarchivePipeline: unarchivePipelineHandler(store),
    addStage: addStageHandler(store),
    updateStage: updateStageHandler(store),
    deleteStage: deleteStageHandler(store),
    reorderStages: reorderStagesHandler(store),
    getBoard: getBoardHandler(store),
    listStageLeads: listStageLeadsHandler(store),
    getForecast: getForecastHandler(store),
    createLead: createLeadHandler(store, deps),
    createLeadFromCustomer: createLeadFromCustomerHandler(store, deps),
    convertLead: convertLeadHandler(store, deps),
    getLead: getLeadHandler(store),
    updateLead: updateLeadHandler(store, deps),
    deleteLead: deleteLeadHandler(store),
    listLeads: listLeadsHandler(store),
    createLeadImportJob: createLeadImportJobHandler(store),
    getLeadImportJob: getLeadImportJobHandler(store),
    listLeadImportJobs: listLeadImportJobsHandler(store),
    getLeadImportErrors: getLeadImportErrorsHandler(store),
    createLeadExportJob: createLeadExportJobHandler(store),
    getLeadExportJob: getLeadExportJobHandler(store),
    listLeadExportJobs: listLeadExportJobsHandler(store),
    downloadLeadExport: downloadLeadExportHandler(store),
    moveLead: moveLeadHandler(store),
    listLeadHistory: listLeadHistoryHandler(store),
    bulkUpdateLeads: bulkUpdateLeadsHandler(store, deps),
    createTask: createTaskHandler(store),
    getTask: getTaskHandler(store),
    updateTask: updateTaskHandler(store),
    deleteTask: deleteTaskHandler(store),
    completeTask: completeTaskHandler(store),
    reopenTask: reopenTaskHandler(store),
    listTasks: listTasksHandler(store),
    logActivity: logActivityHandler(store),
    listActivities: listActivitiesHandler(store),
    deleteActivity: deleteActivityHandler(store),
    getLeadTimeline: getLeadTimelineHandler(store),
  });
}
