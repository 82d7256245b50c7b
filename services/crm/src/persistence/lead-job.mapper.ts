import type { JobState } from "@velaflows/kit";
import { JobStatus, type LeadExportJob, type LeadImportJob } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import type { LeadExportJobEntity, LeadImportJobEntity } from "./lead-jobs.entity";

const JOB_STATUS: Record<JobState, JobStatus> = {
  queued: JobStatus.JOB_STATUS_QUEUED,
  running: JobStatus.JOB_STATUS_RUNNING,
  completed: JobStatus.JOB_STATUS_COMPLETED,
  failed: JobStatus.JOB_STATUS_FAILED,
};

export function toLeadImportJobProto(entity: LeadImportJobEntity): LeadImportJob {
  return {
    id: entity.id,
    status: JOB_STATUS[entity.status],
    pipelineId: entity.pipelineId,
    upsertKey: entity.upsertKey,
    dryRun: entity.dryRun,
    mapping: entity.mapping,
    processedRows: entity.processedRows,
    createdCount: entity.createdCount,
    updatedCount: entity.updatedCount,
    errorCount: entity.errorCount,
    error: entity.error,
    fileName: entity.fileName,
    sizeBytes: String(entity.sizeBytes),
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    startedAt: entity.startedAt ?? undefined,
    finishedAt: entity.finishedAt ?? undefined,
  };
}

export function toLeadExportJobProto(entity: LeadExportJobEntity): LeadExportJob {
  const { pipelineId = "", stageId = "", ownerId = "", status = "" } = entity.filter;
  return {
    id: entity.id,
    status: JOB_STATUS[entity.status],
    filter: { pipelineId, stageId, ownerId, status },
    exportedRows: entity.exportedRows,
    totalRows: entity.totalRows,
    error: entity.error,
    sizeBytes: String(entity.sizeBytes),
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    finishedAt: entity.finishedAt ?? undefined,
  };
}
