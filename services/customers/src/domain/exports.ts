import { exportCsvInChunks, FailedPreconditionError, newObjectId, NotFoundError, type ListParams } from "@velaflows/kit";
import type { CustomerFilter } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { CustomerEntity } from "../persistence/customer.entity";
import type { CustomersStore } from "../persistence/customers-store";
import type { ExportJobEntity } from "../persistence/jobs.entity";
import { filterFromJson, filterToJson, toExportJobProto } from "../persistence/customer.mapper";
import { exportFinished } from "./customer-events";
import { checkCustomPropertyFilter, resolveFilters } from "./customers";
import type { CustomerDependencies } from "./dependencies";

/** The columns of an export, in order. Multi-valued cells are joined with ";". */
export const EXPORT_COLUMNS = [
  "id",
  "firstName",
  "lastName",
  "email",
  "emails",
  "phone",
  "phones",
  "company",
  "language",
  "country",
  "whatsapp",
  "telegram",
  "instagram",
  "messenger",
  "ownerId",
  "source",
  "tags",
  "optedOut",
  "firstContactAt",
  "lastContactAt",
  "createdAt",
  "customProperties",
] as const;

function exportRow(c: CustomerEntity): string[] {
  return [
    c.id,
    c.firstName,
    c.lastName,
    c.primaryEmail ?? "",
    c.emails.map((e) => e.address).join(";"),
    c.primaryPhone ?? "",
    c.phones.map((p) => p.number).join(";"),
    c.company,
    c.language,
    c.country,
    c.identities.whatsapp ?? "",
    c.identities.telegram ?? "",
    c.identities.instagram ?? "",
    c.identities.messenger ?? "",
    c.ownerId ?? "",
    c.source,
    c.tagIds.join(";"),
    c.optedOutChannels.join(";"),
    c.firstContactAt?.toISOString() ?? "",
    c.lastContactAt?.toISOString() ?? "",
    c.createdAt.toISOString(),
    Object.keys(c.customProperties).length > 0 ? JSON.stringify(c.customProperties) : "",
  ];
}

/** Queues an export of the customers of a segment and/or a filter (everyone when neither). */
export async function createExportJob(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  input: { segmentId: string; filter?: CustomerFilter },
  actor: string | null,
): Promise<ExportJobEntity> {
  const filter = await checkCustomPropertyFilter(deps, workspaceId, input.filter);
  const filters = await resolveFilters(store, workspaceId, input.segmentId || undefined, filter);
  const totalRows = await store.read.customers.count(workspaceId, filters);
  return store.transaction((unit) =>
    unit.jobs.insertExport(workspaceId, {
      id: newObjectId(),
      status: "queued",
      segmentId: input.segmentId || null,
      filter: filterToJson(filter),
      totalRows,
      createdBy: actor,
    }),
  );
}

export async function getExportJob(store: CustomersStore, workspaceId: string, id: string): Promise<ExportJobEntity> {
  const job = await store.read.jobs.findExport(workspaceId, id);
  if (!job) throw new NotFoundError("ExportJob", id);
  return job;
}

export function listExportJobs(store: CustomersStore, workspaceId: string, params: ListParams) {
  return store.read.jobs.listExports(workspaceId, params);
}

export async function downloadExport(store: CustomersStore, workspaceId: string, id: string): Promise<{ fileName: string; csv: string }> {
  const job = await getExportJob(store, workspaceId, id);
  if (job.status !== "completed") throw new FailedPreconditionError(`The export is ${job.status}, not completed`, "EXPORT_NOT_READY");
  return { fileName: `customers-${job.id}.csv`, csv: await store.read.jobs.exportContent(workspaceId, id) };
}

/**
 * Runs (or resumes) an export: customers are read in id order after the checkpoint, one chunk of
 * CSV per transaction with the new checkpoint. A segment deleted since the job was queued fails it.
 */
export async function runExport(store: CustomersStore, workspaceId: string, jobId: string, batchRows: number, shouldStop: () => boolean = () => false): Promise<void> {
  const job = await getExportJob(store, workspaceId, jobId);
  const filters = await resolveFilters(store, workspaceId, job.segmentId ?? undefined, filterFromJson(job.filter));
  if (job.lastId === null) {
    await store.transaction((unit) => unit.jobs.updateExport(workspaceId, jobId, { exportedRows: 0, sizeBytes: 0 }));
  }
  await exportCsvInChunks({
    header: EXPORT_COLUMNS,
    lastId: job.lastId,
    pageRows: batchRows,
    page: (afterId, limit) => store.read.customers.page(workspaceId, filters, afterId, limit),
    row: exportRow,
    append: (content, rows, lastId) => store.transaction((unit) => unit.jobs.appendExportChunk(workspaceId, jobId, content, rows, lastId)),
    shouldStop,
  });
  await store.transaction(async (unit) => {
    await unit.jobs.updateExport(workspaceId, jobId, { status: "completed", finishedAt: new Date(), heartbeatAt: null });
    const done = await unit.jobs.findExport(workspaceId, jobId);
    await unit.publish([exportFinished(workspaceId, { job: toExportJobProto(done!) })]);
  });
}
