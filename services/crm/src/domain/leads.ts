import { newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { CrmStore, CrmUnit } from "../persistence/crm-store";
import type { LeadEntity, LeadStatus, PipelineEntity, StageEntity } from "../persistence/entities";
import type { LeadFilter, LeadPatch } from "../persistence/lead.repository";
import { toLeadProto } from "../persistence/mappers";
import { TotalsDelta } from "../persistence/stage-totals";
import { leadCreated, leadDeleted, leadUpdated } from "./crm-events";
import type { CrmDependencies } from "./dependencies";
import { checkLeadReferences } from "./lead-references";
import { ensureDefaultIn } from "./pipelines";

/** A lead as given on create. */
export interface NewLead {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  company: string;
  source: string;
  ownerId: string;
  value: string;
  currency: string;
  expectedCloseDate: string;
  score: number;
  country: string;
  tagIds: string[];
  customProperties?: Record<string, unknown>;
  customerId: string;
  lostReason: string;
  pipelineId: string;
  stageId: string;
  createdBy?: string;
}

/** Where a lead goes: a stage of a live pipeline. */
export interface Placement {
  pipeline: PipelineEntity;
  stage: StageEntity;
}

/**
 * Resolves the pipeline and stage a lead enters. A stage outside the named pipeline, an unknown
 * pipeline or stage, and an archived pipeline are 422s on the field at fault (`paths` names them).
 */
export async function resolvePlacement(
  unit: CrmUnit,
  workspaceId: string,
  pipelineId: string,
  stageId: string,
  paths: { pipelineId: string; stageId: string } = { pipelineId: "pipelineId", stageId: "stageId" },
): Promise<Placement> {
  let pipeline: PipelineEntity | null;
  let stage: StageEntity | null | undefined;
  if (stageId) {
    const found = await unit.pipelines.findStageWithPipeline(workspaceId, stageId);
    if (!found) throw new ValidationError([{ path: paths.stageId, message: "no such stage" }]);
    ({ stage, pipeline } = found);
    if (pipelineId && stage.pipelineId !== pipelineId) {
      const named = await unit.pipelines.findPipeline(workspaceId, pipelineId);
      if (!named) throw new ValidationError([{ path: paths.pipelineId, message: "no such pipeline" }]);
      throw new ValidationError([{ path: paths.stageId, message: `is not a stage of pipeline ${pipelineId}` }]);
    }
  } else if (pipelineId) {
    pipeline = await unit.pipelines.findPipeline(workspaceId, pipelineId);
    if (!pipeline) throw new ValidationError([{ path: paths.pipelineId, message: "no such pipeline" }]);
    stage = (await unit.pipelines.stagesOf(workspaceId, pipelineId))[0];
  } else {
    const fallback = await ensureDefaultIn(unit, workspaceId);
    pipeline = fallback.pipeline;
    stage = fallback.stages[0];
  }
  if (!pipeline || !stage) throw new ValidationError([{ path: paths.stageId, message: "the pipeline has no stage" }]);
  if (pipeline.archived) throw new ValidationError([{ path: paths.pipelineId, message: "the pipeline is archived" }]);
  return { pipeline, stage };
}

/** The status a lead has in `stage`. */
export function statusIn(stage: StageEntity): LeadStatus {
  return stage.isWon ? "won" : stage.isLost ? "lost" : "open";
}

/**
 * Creates a lead in its stage, records its entry in the stage history, publishes crm.lead.created.
 * Its customer (Customers service) and tags must exist, and its custom property values pass the Custom Properties service (stored as
 * normalised there, defaults applied).
 */
export async function createLead(store: CrmStore, deps: CrmDependencies, workspaceId: string, input: NewLead): Promise<LeadEntity> {
  checkNewLead(input, "");
  const customProperties = await checkLeadReferences(
    deps,
    workspaceId,
    { customerId: input.customerId, tagIds: input.tagIds, customProperties: input.customProperties ?? {} },
    { partial: false },
  );
  return store.transaction(async (unit) => {
    const placement = await resolvePlacement(unit, workspaceId, input.pipelineId, input.stageId);
    return insertLead(unit, workspaceId, { ...input, customProperties }, placement);
  });
}

/** The checks of a new lead the field rules cannot express; `at` prefixes the paths ("rows[3]."). */
export function checkNewLead(input: NewLead, at: string): void {
  if (![input.firstName, input.lastName, input.email, input.phone, input.company].some((v) => v.trim() !== "")) {
    throw new ValidationError([{ path: `${at}firstName`, message: "a lead needs a name, an e-mail, a phone or a company" }]);
  }
  checkDate(input.expectedCloseDate, `${at}expectedCloseDate`);
  checkAmount(input.value, `${at}value`);
}

/** The columns of a new lead entering `placement` at `now` (what insertLead and an import's batch insert write). */
export function newLeadRow(id: string, input: NewLead, { pipeline, stage }: Placement, now: Date): Omit<LeadEntity, "workspaceId" | "createdAt" | "updatedAt"> {
  const status = statusIn(stage);
  return {
    id,
    pipelineId: pipeline.id,
    stageId: stage.id,
    status,
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    email: input.email.trim().toLowerCase(),
    phone: input.phone,
    company: input.company.trim(),
    source: input.source.trim() || "manual",
    ownerId: input.ownerId || null,
    value: input.value || "0",
    currency: input.currency || "USD",
    expectedCloseDate: input.expectedCloseDate || null,
    lostReason: status === "lost" ? input.lostReason.trim() : "",
    score: input.score,
    country: input.country,
    tagIds: [...new Set(input.tagIds)],
    customProperties: withoutNulls(input.customProperties ?? {}),
    customerId: input.customerId || null,
    stageEnteredAt: now,
    closedAt: status === "open" ? null : now,
    createdBy: input.createdBy ?? null,
  };
}

/** Inserts a checked lead at its placement inside `unit`: its first history entry, the stage counters, crm.lead.created. */
export async function insertLead(unit: CrmUnit, workspaceId: string, input: NewLead, placement: Placement): Promise<LeadEntity> {
  const { pipeline, stage } = placement;
  const now = new Date();
  const id = newObjectId(now);
  await unit.leads.insert(workspaceId, newLeadRow(id, input, placement, now));
  await unit.stageChanges.insert(workspaceId, {
    id: newObjectId(now),
    leadId: id,
    fromPipelineId: null,
    fromStageId: null,
    toPipelineId: pipeline.id,
    toStageId: stage.id,
    changedBy: input.createdBy ?? null,
    changedAt: now,
    timeInStageMs: "0",
  });
  const lead = await mustFindLead(unit, workspaceId, id);
  const totals = new TotalsDelta();
  totals.add(lead.pipelineId, lead.stageId, lead.currency, 1, lead.value);
  await unit.leads.adjustTotals(workspaceId, totals);
  await unit.publish([leadCreated(workspaceId, { lead: toLeadProto(lead) })]);
  return lead;
}

export async function getLead(store: CrmStore, workspaceId: string, id: string): Promise<LeadEntity> {
  return mustFindLead(store.read, workspaceId, id);
}

/** The fields of a lead that UpdateLead writes, by proto path. */
export const UPDATABLE_LEAD_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "company",
  "source",
  "owner_id",
  "value",
  "currency",
  "expected_close_date",
  "lost_reason",
  "score",
  "country",
  "tag_ids",
  "custom_properties",
  "customer_id",
] as const;

const MOVED_ONLY = ["pipeline_id", "stage_id", "status", "closed_at", "stage_entered_at"];

/** The values of an update, in the Lead message's shape. */
export interface LeadChanges {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  company: string;
  source: string;
  ownerId: string;
  value: string;
  currency: string;
  expectedCloseDate: string;
  lostReason: string;
  score: number;
  country: string;
  tagIds: string[];
  customProperties?: Record<string, unknown>;
  customerId: string;
}

/**
 * Writes the named fields; custom properties merge key by key (null removes) after a partial check
 * by the Custom Properties service; new tags must exist. Publishes crm.lead.updated when something changed.
 */
export async function updateLead(store: CrmStore, deps: CrmDependencies, workspaceId: string, id: string, fields: readonly string[], changes: LeadChanges): Promise<LeadEntity> {
  const moved = fields.filter((f) => MOVED_ONLY.includes(f));
  if (moved.length > 0) {
    throw new ValidationError([{ path: `lead.${camel(moved[0]!)}`, message: "changes only by moving the lead (POST /crm/leads/{id}/move)" }]);
  }
  const unknown = fields.filter((f) => !(UPDATABLE_LEAD_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}` }]);
  if (fields.includes("expected_close_date")) checkDate(changes.expectedCloseDate, "lead.expectedCloseDate");
  if (fields.includes("value")) checkAmount(changes.value, "lead.value");
  const customProperties = await checkLeadReferences(
    deps,
    workspaceId,
    {
      customerId: fields.includes("customer_id") ? changes.customerId : undefined,
      tagIds: fields.includes("tag_ids") ? changes.tagIds : undefined,
      customProperties: fields.includes("custom_properties") ? (changes.customProperties ?? {}) : undefined,
    },
    { partial: true, prefix: "lead." },
  );
  return store.transaction(async (unit) => {
    const [current] = await unit.leads.lockByIds(workspaceId, [id]);
    if (!current) throw new NotFoundError("Lead", id);
    const next: LeadPatch = {
      firstName: changes.firstName.trim(),
      lastName: changes.lastName.trim(),
      email: changes.email.trim().toLowerCase(),
      phone: changes.phone,
      company: changes.company.trim(),
      source: changes.source.trim(),
      ownerId: changes.ownerId || null,
      value: changes.value || "0",
      currency: changes.currency || "USD",
      expectedCloseDate: changes.expectedCloseDate || null,
      lostReason: changes.lostReason.trim(),
      score: changes.score,
      country: changes.country,
      tagIds: [...new Set(changes.tagIds)],
      customProperties: mergeProperties(current.customProperties, customProperties ?? {}),
      customerId: changes.customerId || null,
    };
    const patch: LeadPatch = {};
    const changed: string[] = [];
    for (const field of fields) {
      const key = camel(field) as keyof LeadPatch;
      if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) {
        (patch as Record<string, unknown>)[key] = next[key];
        changed.push(field);
      }
    }
    if (changed.length === 0) return current;
    await unit.leads.update(workspaceId, id, patch);
    const updated = await mustFindLead(unit, workspaceId, id);
    if (updated.value !== current.value || updated.currency !== current.currency) {
      const totals = new TotalsDelta();
      totals.add(current.pipelineId, current.stageId, current.currency, -1, current.value);
      totals.add(updated.pipelineId, updated.stageId, updated.currency, 1, updated.value);
      await unit.leads.adjustTotals(workspaceId, totals);
    }
    await unit.publish([leadUpdated(workspaceId, { lead: toLeadProto(updated), changedFields: changed })]);
    return updated;
  });
}

/** Deletes a lead and its stage history; publishes crm.lead.deleted. */
export async function deleteLead(store: CrmStore, workspaceId: string, id: string): Promise<void> {
  await store.transaction(async (unit) => {
    const [lead] = await unit.leads.lockByIds(workspaceId, [id]);
    if (!lead) throw new NotFoundError("Lead", id);
    await unit.leads.delete(workspaceId, id);
    const totals = new TotalsDelta();
    totals.add(lead.pipelineId, lead.stageId, lead.currency, -1, lead.value);
    await unit.leads.adjustTotals(workspaceId, totals);
    await unit.publish([leadDeleted(workspaceId, { leadId: id, pipelineId: lead.pipelineId, stageId: lead.stageId })]);
  });
}

/** Parses "key=value" custom property conditions. */
export function parsePropertyConditions(conditions: readonly string[]): [string, string][] {
  return conditions.map((condition, i) => {
    const at = condition.indexOf("=");
    if (at < 1) throw new ValidationError([{ path: `customProperties[${i}]`, message: "must be key=value" }]);
    return [condition.slice(0, at), condition.slice(at + 1)];
  });
}

export function listLeads(store: CrmStore, workspaceId: string, filter: LeadFilter, params: ListParams) {
  if (filter.minValue !== undefined) checkAmount(filter.minValue, "minValue");
  if (filter.maxValue !== undefined) checkAmount(filter.maxValue, "maxValue");
  if (filter.minValue !== undefined && filter.maxValue !== undefined && BigInt(filter.minValue) > BigInt(filter.maxValue)) {
    throw new ValidationError([{ path: "maxValue", message: "must not be below minValue" }]);
  }
  if (filter.createdAfter && filter.createdBefore && filter.createdAfter >= filter.createdBefore) {
    throw new ValidationError([{ path: "createdBefore", message: "must be after createdAfter" }]);
  }
  return store.read.leads.list(workspaceId, filter, params);
}

export async function mustFindLead(unit: Pick<CrmUnit, "leads">, workspaceId: string, id: string): Promise<LeadEntity> {
  const lead = await unit.leads.findById(workspaceId, id);
  if (!lead) throw new NotFoundError("Lead", id);
  return lead;
}

function mergeProperties(current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function withoutNulls(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== null));
}

// int64 arrives as a decimal string; amounts are whole minor units, never negative.
function checkAmount(value: string, path: string): void {
  if (value && (!/^\d+$/.test(value) || BigInt(value) > 9223372036854775807n)) throw new ValidationError([{ path, message: "must be a whole number of minor units, at least 0" }]);
}

function checkDate(date: string, path: string): void {
  if (!date) return;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) throw new ValidationError([{ path, message: "must be a calendar date YYYY-MM-DD" }]);
}

function camel(path: string): string {
  return path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
