import {
  csvLine,
  importErrorsToCsv,
  newObjectId,
  NotFoundError,
  protoRegistry,
  readCsvBatches,
  readCsvHeader,
  ServiceError,
  validateMessage,
  ValidationError,
  type CsvRow,
  type FieldViolation,
  type ListParams,
  type NewImportError,
} from "@velaflows/kit";
import type { CrmStore, CrmUnit } from "../persistence/crm-store";
import type { LeadEntity, StageChangeEntity, StageEntity } from "../persistence/entities";
import type { LeadImportJobEntity, StoredLeadMapping } from "../persistence/lead-jobs.entity";
import type { LeadPatch } from "../persistence/lead.repository";
import { toLeadProto } from "../persistence/mappers";
import { TotalsDelta } from "../persistence/stage-totals";
import { leadCreated, leadUpdated } from "./crm-events";
import type { CrmDependencies } from "./dependencies";
import { checkNewLead, newLeadRow, resolvePlacement, type NewLead } from "./leads";

/** The largest CSV an import accepts, in bytes. */
export const MAX_IMPORT_BYTES = 3 * 1024 * 1024;

/** The mapping fields a header names, by the header folded (lower case, no spaces, "_" or "-"). */
const FIELD_OF_HEADER: Record<string, string> = {
  firstname: "firstName",
  lastname: "lastName",
  email: "email",
  phone: "phone",
  company: "company",
  source: "source",
  owner: "ownerId",
  ownerid: "ownerId",
  value: "value",
  currency: "currency",
  expectedclosedate: "expectedCloseDate",
  closedate: "expectedCloseDate",
  score: "score",
  country: "country",
  tags: "tags",
  tagids: "tags",
  customerid: "customerId",
  lostreason: "lostReason",
  stage: "stage",
  stageid: "stage",
};
const PROPERTY_PREFIX = "customproperties.";

export interface NewLeadImport {
  csv: string;
  fileName: string;
  pipelineId: string;
  mapping: readonly StoredLeadMapping[];
  upsertKey: string;
  dryRun: boolean;
}

/** Checks the file's header against the mapping and the pipeline, and queues the job; the runner does the rest. */
export async function createLeadImportJob(store: CrmStore, workspaceId: string, input: NewLeadImport, actor: string | null): Promise<LeadImportJobEntity> {
  const sizeBytes = Buffer.byteLength(input.csv);
  if (sizeBytes > MAX_IMPORT_BYTES) throw new ValidationError([{ path: "csv", message: `must be at most ${MAX_IMPORT_BYTES} bytes` }]);
  const header = readCsvHeader(input.csv);
  const violations: FieldViolation[] = [];
  let mapping: StoredLeadMapping[];
  if (input.mapping.length > 0) {
    mapping = input.mapping.map(({ column, field }) => ({ column, field }));
    input.mapping.forEach((m, i) => {
      if (!header.includes(m.column)) violations.push({ path: `mapping[${i}].column`, message: `is not a column of the file (columns: ${header.join(", ")})` });
    });
  } else {
    mapping = header.flatMap((column) => {
      const field = fieldOfHeader(column);
      return field ? [{ column, field }] : [];
    });
    const unknown = header.filter((column) => column !== "" && !fieldOfHeader(column));
    if (unknown.length > 0) violations.push({ path: "csv", message: `unknown column(s): ${unknown.join(", ")} (name lead fields, or give a mapping)` });
  }
  const upsertKey = input.upsertKey === "email" || input.upsertKey === "phone" ? input.upsertKey : "";
  if (upsertKey && !mapping.some((m) => m.field === upsertKey)) violations.push({ path: "mapping", message: `no column is mapped to ${upsertKey}, which rows are matched by` });
  if (violations.length > 0) throw new ValidationError(violations);
  return store.transaction(async (unit) => {
    // The pipeline rows enter, fixed now (the default one when not named).
    const { pipeline } = await resolvePlacement(unit, workspaceId, input.pipelineId, "");
    return unit.jobs.insertImport(workspaceId, {
      id: newObjectId(),
      status: "queued",
      pipelineId: pipeline.id,
      upsertKey,
      dryRun: input.dryRun,
      mapping,
      content: input.csv,
      fileName: input.fileName,
      sizeBytes,
      createdBy: actor,
    });
  });
}

function fieldOfHeader(column: string): string | undefined {
  const trimmed = column.trim();
  if (trimmed.toLowerCase().startsWith(PROPERTY_PREFIX) && trimmed.length > PROPERTY_PREFIX.length) return `customProperties.${trimmed.slice(PROPERTY_PREFIX.length)}`;
  return FIELD_OF_HEADER[trimmed.toLowerCase().replace(/[\s_-]+/g, "")];
}

export async function getLeadImportJob(store: CrmStore, workspaceId: string, id: string): Promise<LeadImportJobEntity> {
  const job = await store.read.jobs.findImport(workspaceId, id);
  if (!job) throw new NotFoundError("ImportJob", id);
  return job;
}

export function listLeadImportJobs(store: CrmStore, workspaceId: string, params: ListParams) {
  return store.read.jobs.listImports(workspaceId, params);
}

/** The refused rows as CSV: row, column, message, data. */
export async function leadImportErrorsCsv(store: CrmStore, workspaceId: string, id: string): Promise<{ csv: string; count: number }> {
  await getLeadImportJob(store, workspaceId, id);
  const errors = await store.read.jobs.importErrors(workspaceId, id);
  return { csv: importErrorsToCsv(errors), count: errors.length };
}

/**
 * Runs (or resumes) an import: the stored CSV is stream-parsed from the checkpoint, and each batch
 * is checked (Tags, Customers and Custom Properties called before its transaction) and written in
 * one transaction with its counts, refused rows and the new checkpoint, so a restart never applies
 * a row twice. Memory holds one batch.
 */
export async function runLeadImport(
  store: CrmStore,
  deps: CrmDependencies,
  workspaceId: string,
  jobId: string,
  batchRows: number,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const job = await getLeadImportJob(store, workspaceId, jobId);
  const content = await store.read.jobs.importContent(workspaceId, jobId);
  await readCsvBatches(content, { skipRows: job.processedRows, batchRows, shouldStop }, (header, rows) => writeBatch(store, deps, job, header, rows));
  await store.transaction((unit) =>
    // The file is needed only to resume; the refused rows keep their own copy.
    unit.jobs.updateImport(workspaceId, jobId, { status: "completed", finishedAt: new Date(), heartbeatAt: null, content: "" }),
  );
}

/** One data row read and checked before its batch's transaction. */
interface PreparedRow {
  rowNumber: number;
  data: string;
  lead: NewLead;
  /** The fields that had a non-empty cell (what an upsert overwrites). */
  given: Set<string>;
  stageName: string;
  /** The row's upsert key value, when the job has one and the row gives it. */
  key: string;
  violations: FieldViolation[];
}

async function writeBatch(store: CrmStore, deps: CrmDependencies, job: LeadImportJobEntity, header: string[], rows: CsvRow[]): Promise<void> {
  const workspaceId = job.workspaceId;
  const columnOfField = new Map(job.mapping.map((m) => [m.field, m.column]));
  const prepared = rows.map((row) => readRow(job, header, row));
  const keyed = job.upsertKey ? await store.read.jobs.leadIdsByKey(workspaceId, job.upsertKey, prepared.flatMap((r) => (r.key ? [r.key] : []))) : new Map<string, string>();
  await checkReferences(deps, workspaceId, prepared, keyed);

  const errors: NewImportError[] = [];
  const refuse = (row: PreparedRow, violations: readonly FieldViolation[]) => {
    for (const v of violations) errors.push({ rowNumber: row.rowNumber, columnName: columnOf(v.path, columnOfField), message: `${v.path} ${v.message}`, data: row.data });
  };
  await store.transaction(async (unit) => {
    const { pipeline } = await resolvePlacement(unit, workspaceId, job.pipelineId, "");
    const stages = await unit.pipelines.stagesOf(workspaceId, pipeline.id);
    const stageOf = (value: string): StageEntity | undefined =>
      value ? (stages.find((s) => s.id === value) ?? stages.find((s) => s.name.toLowerCase() === value.trim().toLowerCase())) : stages[0];
    // Keys seen in this batch: a second row with a new lead's key updates the lead the first created.
    const known = new Map(keyed);
    let created = 0;
    let updated = 0;
    // New leads are written together (one statement for the leads, one for their history, one
    // counters update, one outbox write), before any row that updates one of them.
    const now = new Date();
    const pending: LeadEntity[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const changes = pending.map((lead) => ({
        id: newObjectId(now),
        workspaceId,
        leadId: lead.id,
        fromPipelineId: null,
        fromStageId: null,
        toPipelineId: lead.pipelineId,
        toStageId: lead.stageId,
        changedBy: lead.createdBy,
        changedAt: now,
        timeInStageMs: "0",
        createdAt: now,
        updatedAt: now,
      })) as StageChangeEntity[];
      await unit.jobs.insertLeads(pending, changes);
      const totals = new TotalsDelta();
      for (const lead of pending) totals.add(lead.pipelineId, lead.stageId, lead.currency, 1, lead.value);
      await unit.leads.adjustTotals(workspaceId, totals);
      await unit.publish(pending.map((lead) => leadCreated(workspaceId, { lead: toLeadProto(lead) })));
      pending.length = 0;
    };
    for (const row of prepared) {
      if (row.violations.length > 0) {
        refuse(row, row.violations);
        continue;
      }
      const existingId = row.key ? known.get(row.key) : undefined;
      if (existingId) {
        updated++;
        if (job.dryRun) continue;
        if (pending.some((lead) => lead.id === existingId)) await flush();
        await upsertInto(unit, workspaceId, existingId, row);
        continue;
      }
      const stage = stageOf(row.stageName);
      if (!stage) {
        refuse(row, [{ path: "stage", message: `no stage "${row.stageName}" in pipeline ${pipeline.name}` }]);
        continue;
      }
      created++;
      const id = newObjectId(now);
      if (!job.dryRun) pending.push({ ...newLeadRow(id, { ...row.lead, pipelineId: pipeline.id }, { pipeline, stage }, now), workspaceId, createdAt: now, updatedAt: now });
      if (row.key) known.set(row.key, id);
    }
    await flush();
    await unit.jobs.addImportErrors(workspaceId, job.id, errors);
    await unit.jobs.advanceImport(workspaceId, job.id, { rows: rows.length, created, updated, errors: new Set(errors.map((e) => e.rowNumber)).size });
  });
}

/** A row's cells as a lead, with the checks that need no other service. */
function readRow(job: LeadImportJobEntity, header: string[], { rowNumber, cells }: CsvRow): PreparedRow {
  const values: Record<string, string> = {};
  const customProperties: Record<string, unknown> = {};
  for (const { column, field } of job.mapping) {
    const cell = (cells[header.indexOf(column)] ?? "").trim();
    if (field.startsWith("customProperties.")) {
      if (cell !== "") customProperties[field.slice("customProperties.".length)] = cell;
    } else {
      values[field] = cell;
    }
  }
  const lead: NewLead = {
    firstName: values.firstName ?? "",
    lastName: values.lastName ?? "",
    email: values.email ?? "",
    phone: values.phone ?? "",
    company: values.company ?? "",
    source: values.source || "import",
    ownerId: values.ownerId ?? "",
    value: values.value ?? "",
    currency: values.currency ?? "",
    expectedCloseDate: values.expectedCloseDate ?? "",
    score: values.score ? Number(values.score) : 0,
    country: values.country ?? "",
    tagIds: (values.tags ?? "").split(/[;,]/).map((t) => t.trim()).filter(Boolean),
    customerId: values.customerId ?? "",
    lostReason: values.lostReason ?? "",
    customProperties: Object.keys(customProperties).length > 0 ? customProperties : undefined,
    pipelineId: job.pipelineId,
    stageId: "",
    createdBy: job.createdBy ?? undefined,
  };
  const violations: FieldViolation[] = validateMessage(createLeadRequest(), { ...lead, customProperties: undefined });
  if (values.score && !Number.isInteger(lead.score)) violations.push({ path: "score", message: "must be a whole number" });
  if (violations.length === 0) {
    try {
      checkNewLead(lead, "");
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      violations.push(...error.violations);
    }
  }
  const given = new Set(Object.entries(values).filter(([, v]) => v !== "").map(([k]) => k));
  const keyValue = job.upsertKey === "email" ? lead.email.trim().toLowerCase() : job.upsertKey === "phone" ? lead.phone : "";
  return { rowNumber, data: csvLine(cells), lead, given, stageName: values.stage ?? "", key: keyValue, violations };
}

/**
 * The checks other services make, for the whole batch at once: tags (Tags), customers
 * (Customers), custom property values (Custom Properties: complete for new leads, partial for
 * rows updating a lead). Refusals are added to the rows; accepted property values replace the cells.
 */
async function checkReferences(deps: CrmDependencies, workspaceId: string, rows: PreparedRow[], keyed: ReadonlyMap<string, string>): Promise<void> {
  const checkable = rows.filter((row) => row.violations.length === 0);
  const unknownTags = await deps.tags.unknownTags(workspaceId, checkable.flatMap((row) => row.lead.tagIds));
  const unknownCustomers = await deps.customers.unknownCustomers(
    workspaceId,
    checkable.flatMap((row) => (row.lead.customerId ? [row.lead.customerId] : [])),
  );
  const updates = checkable.filter((row) => row.key && keyed.has(row.key));
  const creates = checkable.filter((row) => !updates.includes(row));
  const checks = await deps.properties.validateMany(
    workspaceId,
    creates.map((row) => row.lead.customProperties ?? {}),
  );
  creates.forEach((row, i) => {
    const check = checks[i]!;
    if (check.valid) row.lead.customProperties = check.values;
    else row.violations.push(...check.violations);
  });
  for (const row of updates) {
    if (!row.lead.customProperties) continue;
    try {
      row.lead.customProperties = await deps.properties.validate(workspaceId, row.lead.customProperties, true);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.violations.length === 0) throw error;
      row.violations.push(...error.violations);
    }
  }
  for (const row of checkable) {
    if (unknownCustomers.has(row.lead.customerId)) row.violations.push({ path: "customerId", message: `no customer ${row.lead.customerId} in this workspace` });
    row.lead.tagIds.forEach((id, t) => {
      if (unknownTags.has(id)) row.violations.push({ path: `tagIds[${t}]`, message: `no tag ${id} for leads in this workspace` });
    });
  }
}

/** The fields an upsert row overwrites when its cell is not empty, by mapping field. */
const UPSERT_FIELDS: Record<string, { key: keyof LeadPatch; path: string; value: (lead: NewLead) => unknown }> = {
  firstName: { key: "firstName", path: "first_name", value: (l) => l.firstName },
  lastName: { key: "lastName", path: "last_name", value: (l) => l.lastName },
  email: { key: "email", path: "email", value: (l) => l.email.trim().toLowerCase() },
  phone: { key: "phone", path: "phone", value: (l) => l.phone },
  company: { key: "company", path: "company", value: (l) => l.company },
  source: { key: "source", path: "source", value: (l) => l.source },
  ownerId: { key: "ownerId", path: "owner_id", value: (l) => l.ownerId },
  value: { key: "value", path: "value", value: (l) => l.value },
  currency: { key: "currency", path: "currency", value: (l) => l.currency },
  expectedCloseDate: { key: "expectedCloseDate", path: "expected_close_date", value: (l) => l.expectedCloseDate },
  score: { key: "score", path: "score", value: (l) => l.score },
  country: { key: "country", path: "country", value: (l) => l.country },
  tags: { key: "tagIds", path: "tag_ids", value: (l) => [...new Set(l.tagIds)] },
  customerId: { key: "customerId", path: "customer_id", value: (l) => l.customerId },
  lostReason: { key: "lostReason", path: "lost_reason", value: (l) => l.lostReason },
};

/** Overwrites the lead's fields the row gives (custom properties merge; the stage stays), inside the batch's transaction. */
async function upsertInto(unit: CrmUnit, workspaceId: string, id: string, row: PreparedRow): Promise<void> {
  const [current] = await unit.leads.lockByIds(workspaceId, [id]);
  if (!current) return;
  const patch: LeadPatch = {};
  const changed: string[] = [];
  for (const [field, { key, path, value }] of Object.entries(UPSERT_FIELDS)) {
    if (!row.given.has(field)) continue;
    const next = value(row.lead);
    if (JSON.stringify(next) !== JSON.stringify(current[key as keyof LeadEntity])) {
      (patch as Record<string, unknown>)[key] = next;
      changed.push(path);
    }
  }
  if (row.lead.customProperties) {
    const merged: Record<string, unknown> = { ...current.customProperties };
    for (const [key, value] of Object.entries(row.lead.customProperties)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (JSON.stringify(merged) !== JSON.stringify(current.customProperties)) {
      patch.customProperties = merged;
      changed.push("custom_properties");
    }
  }
  if (changed.length === 0) return;
  const updated = await unit.leads.updateLocked(workspaceId, current, patch);
  if (updated.value !== current.value || updated.currency !== current.currency) {
    const totals = new TotalsDelta();
    totals.add(current.pipelineId, current.stageId, current.currency, -1, current.value);
    totals.add(updated.pipelineId, updated.stageId, updated.currency, 1, updated.value);
    await unit.leads.adjustTotals(workspaceId, totals);
  }
  await unit.publish([leadUpdated(workspaceId, { lead: toLeadProto(updated), changedFields: changed })]);
}

// The CSV column a violation's path points at: its mapping field's column.
function columnOf(path: string, columnOfField: ReadonlyMap<string, string>): string {
  if (path.startsWith("customProperties.")) return columnOfField.get(path) ?? "";
  const root = path.split(/[.[]/)[0]!;
  return columnOfField.get(root === "tagIds" ? "tags" : root) ?? "";
}

const createLeadRequest = () => protoRegistry().getMessage("velaflows.crm.v1.CreateLeadRequest")!;
