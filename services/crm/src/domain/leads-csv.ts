import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { FailedPreconditionError, protoRegistry, ServiceError, validateMessage, ValidationError, type FieldViolation } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { StageEntity } from "../persistence/entities";
import type { CrmDependencies } from "./dependencies";
import { checkNewLead, insertLead, resolvePlacement, type NewLead } from "./leads";

export const MAX_EXPORT_ROWS = 10_000;
export const MAX_IMPORT_ROWS = 1_000;

/** The lead fields a CSV column fills, by the column name folded (lower case, no spaces, "_" or "-"). */
const COLUMNS: Record<string, keyof NewLead | "stage"> = {
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
  tags: "tagIds",
  tagids: "tagIds",
  customerid: "customerId",
  lostreason: "lostReason",
  stage: "stage",
  stageid: "stage",
};

const EXPORT_HEADER = [
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
];

/** The matching leads as CSV, oldest first; more than {@link MAX_EXPORT_ROWS} is refused. */
export async function exportLeads(store: CrmStore, workspaceId: string, filter: { pipelineId?: string; stageId?: string; ownerId?: string; status?: string }) {
  const leads = await store.read.leads.exportRows(workspaceId, filter, MAX_EXPORT_ROWS + 1);
  if (leads.length > MAX_EXPORT_ROWS) {
    throw new FailedPreconditionError(`More than ${MAX_EXPORT_ROWS} leads match; narrow the filter`, "EXPORT_TOO_LARGE");
  }
  const pipelines = await store.read.pipelines.list(workspaceId, true);
  const pipelineNames = new Map(pipelines.map((p) => [p.pipeline.id, p.pipeline.name]));
  const stageNames = new Map(pipelines.flatMap((p) => p.stages.map((s) => [s.id, s.name] as const)));
  const rows = leads.map((l) => [
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
  ]);
  return { csv: stringify([EXPORT_HEADER, ...rows]), rowCount: rows.length };
}

/**
 * Imports leads from CSV into one pipeline, all in one transaction. Every row is checked first
 * (field rules, the lead rules, its tags, its custom property values — columns
 * "customProperties.<key>" — and the stage); a real import with any error is refused with 422 on
 * "rows[<n>].<field>", a dry run answers the errors instead.
 */
export async function importLeads(
  store: CrmStore,
  deps: Pick<CrmDependencies, "customers" | "tags" | "properties">,
  workspaceId: string,
  input: { csv: string; pipelineId: string; dryRun: boolean; createdBy?: string },
): Promise<{ createdCount: number; validCount: number; errors: { row: number; path: string; message: string }[] }> {
  const records = parseCsv(input.csv);
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new ValidationError([{ path: "csv", message: "needs a header row and at least one lead" }]);
  if (rows.length > MAX_IMPORT_ROWS) throw new ValidationError([{ path: "csv", message: `at most ${MAX_IMPORT_ROWS} leads per import` }]);
  const fields = header.map((column) => COLUMNS[column.toLowerCase().replace(/[\s_-]+/g, "")]);
  const propertyKeys = header.map((column) => (column.trim().toLowerCase().startsWith(PROPERTY_COLUMN) ? column.trim().slice(PROPERTY_COLUMN.length) : undefined));
  const unknown = header.filter((_, i) => fields[i] === undefined && !propertyKeys[i]);
  if (unknown.length > 0) throw new ValidationError([{ path: "csv", message: `unknown column(s): ${unknown.join(", ")}` }]);

  // Every row's own checks, and the tag and property checks of the other services, before the
  // transaction opens (an RPC inside it would hold the database).
  const parsed = rows.map((cells) => {
    const values: Record<string, string> = {};
    const customProperties: Record<string, unknown> = {};
    header.forEach((_, i) => {
      const cell = (cells[i] ?? "").trim();
      if (fields[i]) values[fields[i]!] = cell;
      else if (cell !== "") customProperties[propertyKeys[i]!] = cell;
    });
    const request: NewLead = {
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
      tagIds: (values.tagIds ?? "").split(/[;,]/).map((t) => t.trim()).filter(Boolean),
      customerId: values.customerId ?? "",
      lostReason: values.lostReason ?? "",
      pipelineId: input.pipelineId,
      stageId: "",
      createdBy: input.createdBy,
    };
    const violations: FieldViolation[] = validateMessage(createLeadRequest(), { ...request, customProperties: undefined });
    if (values.score && !Number.isInteger(request.score)) violations.push({ path: "score", message: "must be a whole number" });
    if (violations.length === 0) {
      try {
        checkNewLead(request, "");
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        violations.push(...error.violations);
      }
    }
    return { request, stageName: values.stage ?? "", customProperties, violations };
  });
  const checkable = parsed.filter((row) => row.violations.length === 0);
  const unknownTags = await deps.tags.unknownTags(workspaceId, checkable.flatMap((row) => row.request.tagIds));
  const unknownCustomers = await deps.customers.unknownCustomers(workspaceId, checkable.flatMap((row) => (row.request.customerId ? [row.request.customerId] : [])));
  const checks = await deps.properties.validateMany(workspaceId, parsed.map((row) => row.customProperties));
  parsed.forEach((row, i) => {
    if (unknownCustomers.has(row.request.customerId)) row.violations.push({ path: "customerId", message: `no customer ${row.request.customerId} in this workspace` });
    row.request.tagIds.forEach((id, t) => {
      if (unknownTags.has(id)) row.violations.push({ path: `tagIds[${t}]`, message: `no tag ${id} for leads in this workspace` });
    });
    const check = checks[i]!;
    if (check.valid) row.request.customProperties = check.values;
    else row.violations.push(...check.violations);
  });

  return store.transaction(async (unit) => {
    // The pipeline (the default when not named) and its stages, by id and by name.
    const { pipeline } = await resolvePlacement(unit, workspaceId, input.pipelineId, "");
    const stages = await unit.pipelines.stagesOf(workspaceId, pipeline.id);
    const stageOf = (value: string): StageEntity | undefined => stages.find((s) => s.id === value) ?? stages.find((s) => s.name.toLowerCase() === value.trim().toLowerCase());

    const errors: { row: number; path: string; message: string }[] = [];
    const leads: { lead: NewLead; stage: StageEntity }[] = [];
    parsed.forEach(({ request, stageName, violations }, index) => {
      const row = index + 1;
      const stage = stageName ? stageOf(stageName) : stages[0];
      if (!stage) violations.push({ path: "stage", message: `no stage "${stageName}" in pipeline ${pipeline.name}` });
      if (violations.length > 0) errors.push(...violations.map((v) => ({ row, path: v.path, message: v.message })));
      else leads.push({ lead: { ...request, pipelineId: pipeline.id }, stage: stage! });
    });

    if (input.dryRun) return { createdCount: 0, validCount: leads.length, errors };
    if (errors.length > 0) throw new ValidationError(errors.map((e) => ({ path: `rows[${e.row}].${e.path}`, message: e.message })), "The file has invalid rows; nothing was imported");
    for (const { lead, stage } of leads) await insertLead(unit, workspaceId, lead, { pipeline, stage });
    return { createdCount: leads.length, validCount: leads.length, errors: [] };
  });
}

const PROPERTY_COLUMN = "customproperties.";

function parseCsv(csv: string): string[][] {
  try {
    return parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new ValidationError([{ path: "csv", message: `is not valid CSV: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

const createLeadRequest = () => protoRegistry().getMessage("velaflows.crm.v1.CreateLeadRequest")!;
