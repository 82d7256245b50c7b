import { exportCsvInChunks, FailedPreconditionError, newObjectId, NotFoundError, type ListParams } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { LeadEntity } from "../persistence/entities";
import type { LeadExportJobEntity, StoredLeadExportFilter } from "../persistence/lead-jobs.entity";

/** The columns of a leads export, in order. Tag ids are joined with ";". */
export const EXPORT_HEADER = [
  "_id",
  "firstName",
  "lastName",
  "email",
  "phone",
  "company",
  "source",
  "ownerId",
  "value",
  "currency",
  "expectedCloseDate",
  "status",
  "lostReason",
  "score",
  "country",
  "pipelineId",
  "pipeline",
  "stageId",
  "stage",
  "customerId",
  "tagIds",
  "createdAt",
] as const;

/** Queues an export of the leads matching `filter` (every lead when it is empty). */
export async function createLeadExportJob(store: CrmStore, workspaceId: string, filter: StoredLeadExportFilter, actor: string | null): Promise<LeadExportJobEntity> {
  const given: StoredLeadExportFilter = Object.fromEntries(Object.entries(filter).filter(([, v]) => Boolean(v)));
  const totalRows = await store.read.jobs.countLeads(workspaceId, given);
  return store.transaction((unit) => unit.jobs.insertExport(workspaceId, { id: newObjectId(), status: "queued", filter: given, totalRows, createdBy: actor }));
}

export async function getLeadExportJob(store: CrmStore, workspaceId: string, id: string): Promise<LeadExportJobEntity> {
  const job = await store.read.jobs.findExport(workspaceId, id);
  if (!job) throw new NotFoundError("ExportJob", id);
  return job;
}

export function listLeadExportJobs(store: CrmStore, workspaceId: string, params: ListParams) {
  return store.read.jobs.listExports(workspaceId, params);
}

/** The CSV of a completed export; 409 EXPORT_NOT_READY before. */
export async function downloadLeadExport(store: CrmStore, workspaceId: string, id: string): Promise<{ fileName: string; csv: string }> {
  const job = await getLeadExportJob(store, workspaceId, id);
  if (job.status !== "completed") throw new FailedPreconditionError(`The export is ${job.status}, not completed`, "EXPORT_NOT_READY");
  return { fileName: `leads-${job.id}.csv`, csv: await store.read.jobs.exportContent(workspaceId, id) };
}

/**
 * Runs (or resumes) an export: leads are read in id (creation) order after the checkpoint, one
 * chunk of CSV per transaction with the new checkpoint. Pipeline and stage names are those of
 * when each chunk is written.
 */
export async function runLeadExport(store: CrmStore, workspaceId: string, jobId: string, batchRows: number, shouldStop: () => boolean = () => false): Promise<void> {
  const job = await getLeadExportJob(store, workspaceId, jobId);
  const pipelines = await store.read.pipelines.list(workspaceId, true);
  const pipelineNames = new Map(pipelines.map((p) => [p.pipeline.id, p.pipeline.name]));
  const stageNames = new Map(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
  const row = (l: LeadEntity) => [
    l.id,
    l.firstName,
    l.lastName,
    l.email,
    l.phone,
    l.company,
    l.source,
    l.ownerId ?? "",
    l.value,
    l.currency,
    l.expectedCloseDate ?? "",
    l.status,
    l.lostReason,
    String(l.score),
    l.country,
    l.pipelineId,
    pipelineNames.get(l.pipelineId) ?? "",
    l.stageId,
    stageNames.get(l.stageId) ?? "",
    l.customerId ?? "",
    l.tagIds.join(";"),
    l.createdAt.toISOString(),
  ];
  await exportCsvInChunks({
    header: EXPORT_HEADER,
    lastId: job.lastId,
    pageRows: batchRows,
    page: (afterId, limit) => store.read.jobs.leadPage(workspaceId, job.filter, afterId, limit),
    row,
    append: (content, rows, lastId) => store.transaction((unit) => unit.jobs.appendExportChunk(workspaceId, jobId, content, rows, lastId)),
    shouldStop,
  });
  await store.transaction((unit) => unit.jobs.updateExport(workspaceId, jobId, { status: "completed", finishedAt: new Date(), heartbeatAt: null }));
}
