import { newObjectId, NotFoundError, ValidationError, type DomainEvent } from "@velaflows/kit";
import type { CrmStore, CrmUnit } from "../persistence/crm-store";
import type { LeadEntity, StageChangeEntity } from "../persistence/entities";
import { toLeadProto, toStageChangeProto } from "../persistence/mappers";
import { TotalsDelta } from "../persistence/stage-totals";
import { leadLost, leadStageChanged, leadUpdated, leadWon } from "./crm-events";
import type { CrmDependencies } from "./dependencies";
import { tagViolations } from "./lead-references";
import { mustFindLead, resolvePlacement, statusIn, type Placement } from "./leads";

/** Who moves, and why a lead is lost when it is. */
export interface MoveOptions {
  actor?: string;
  lostReason: string;
}

/**
 * Moves a lead to `stageId`: of its own pipeline, or of `pipelineId` when given (the only way to
 * change pipelines). Anything else is a 422 on `stageId`. Moving to the stage it is in changes nothing.
 */
export async function moveLead(
  store: CrmStore,
  workspaceId: string,
  id: string,
  target: { stageId: string; pipelineId: string },
  options: MoveOptions,
): Promise<{ lead: LeadEntity; change?: StageChangeEntity }> {
  return store.transaction(async (unit) => {
    const [lead] = await unit.leads.lockByIds(workspaceId, [id]);
    if (!lead) throw new NotFoundError("Lead", id);
    const placement = await placementFor(unit, workspaceId, [lead], target);
    const totals = new TotalsDelta();
    const moved = await applyMove(unit, workspaceId, lead, placement, options, totals);
    await unit.leads.adjustTotals(workspaceId, totals);
    return moved ?? { lead };
  });
}

/** A lead's stage history, oldest first. */
export async function leadHistory(store: CrmStore, workspaceId: string, id: string): Promise<StageChangeEntity[]> {
  await mustFindLead(store.read, workspaceId, id);
  return store.read.stageChanges.forLead(workspaceId, id);
}

/**
 * Moves up to 100 leads to one stage, gives them one owner, adds and removes tags, in one
 * transaction: an unknown lead (404), a stage outside a lead's pipeline or an unknown tag to add
 * (422) changes nothing.
 */
export async function bulkUpdateLeads(
  store: CrmStore,
  deps: Pick<CrmDependencies, "tags">,
  workspaceId: string,
  leadIds: readonly string[],
  changes: { stageId: string; pipelineId: string; ownerId?: string; addTagIds?: string[]; removeTagIds?: string[] },
  options: MoveOptions,
): Promise<{ updatedCount: number; leads: LeadEntity[] }> {
  const addTags = [...new Set(changes.addTagIds ?? [])];
  const removeTags = new Set(changes.removeTagIds ?? []);
  if (!changes.stageId && changes.ownerId === undefined && addTags.length === 0 && removeTags.size === 0) {
    throw new ValidationError([{ path: "stageId", message: "give a stageId, an ownerId or tags to add or remove" }]);
  }
  const both = addTags.find((tag) => removeTags.has(tag));
  if (both) throw new ValidationError([{ path: "removeTagIds", message: `${both} is also in addTagIds` }]);
  if (changes.pipelineId && !changes.stageId) throw new ValidationError([{ path: "stageId", message: "is required with pipelineId" }]);
  const ids = [...new Set(leadIds)];
  const unknownTags = await tagViolations(deps, workspaceId, changes.addTagIds ?? [], "addTagIds");
  if (unknownTags.length > 0) throw new ValidationError(unknownTags);
  return store.transaction(async (unit) => {
    const leads = await unit.leads.lockByIds(workspaceId, ids);
    if (leads.length !== ids.length) {
      const found = new Set(leads.map((l) => l.id));
      throw new NotFoundError("Lead", ids.find((leadId) => !found.has(leadId))!);
    }
    const placement = changes.stageId ? await placementFor(unit, workspaceId, leads, { stageId: changes.stageId, pipelineId: changes.pipelineId }) : undefined;
    const updated = new Set<string>();
    const totals = new TotalsDelta();
    for (const lead of leads) {
      const patch: { ownerId?: string | null; tagIds?: string[] } = {};
      const changedFields: string[] = [];
      const ownerId = changes.ownerId === undefined ? undefined : changes.ownerId || null;
      if (ownerId !== undefined && ownerId !== lead.ownerId) {
        patch.ownerId = ownerId;
        changedFields.push("owner_id");
      }
      const tagIds = [...lead.tagIds.filter((tag) => !removeTags.has(tag)), ...addTags.filter((tag) => !lead.tagIds.includes(tag))];
      if (tagIds.join() !== lead.tagIds.join()) {
        patch.tagIds = tagIds;
        changedFields.push("tag_ids");
      }
      if (changedFields.length > 0) {
        const changed = await unit.leads.updateLocked(workspaceId, lead, patch);
        await unit.publish([leadUpdated(workspaceId, { lead: toLeadProto(changed), changedFields })]);
        Object.assign(lead, changed);
        updated.add(lead.id);
      }
      if (placement && (await applyMove(unit, workspaceId, lead, placement, options, totals))) updated.add(lead.id);
    }
    // Once, after every lead row is locked: counter rows are always locked after lead rows.
    await unit.leads.adjustTotals(workspaceId, totals);
    // One connection per transaction: read back in one statement, in the order given.
    const after = new Map((await unit.leads.lockByIds(workspaceId, ids)).map((lead) => [lead.id, lead]));
    return { updatedCount: updated.size, leads: ids.map((leadId) => after.get(leadId)!) };
  });
}

/** The target of a move for these leads; every lead must be in the stage's pipeline unless `pipelineId` names it. */
async function placementFor(unit: CrmUnit, workspaceId: string, leads: readonly LeadEntity[], target: { stageId: string; pipelineId: string }): Promise<Placement> {
  const placement = await resolvePlacement(unit, workspaceId, target.pipelineId, target.stageId);
  if (!target.pipelineId) {
    const outside = leads.find((lead) => lead.pipelineId !== placement.pipeline.id);
    if (outside) {
      throw new ValidationError([
        { path: "stageId", message: `is a stage of pipeline ${placement.pipeline.id}, not of lead ${outside.id}'s pipeline; pass pipelineId to move it there` },
      ]);
    }
  }
  return placement;
}

/**
 * Puts `lead` (locked by the caller) into the placement's stage: status and closed date follow
 * the stage; the change is recorded with the time spent in the previous stage, and
 * crm.lead.stage_changed (plus crm.lead.won or crm.lead.lost on entering such a stage) is written
 * in the same transaction; the stage counters' changes go into `totals` for the caller to write.
 * Undefined when the lead is already there.
 */
async function applyMove(
  unit: CrmUnit,
  workspaceId: string,
  lead: LeadEntity,
  { pipeline, stage }: Placement,
  options: MoveOptions,
  totals: TotalsDelta,
): Promise<{ lead: LeadEntity; change: StageChangeEntity } | undefined> {
  if (lead.stageId === stage.id) return undefined;
  totals.add(lead.pipelineId, lead.stageId, lead.currency, -1, lead.value);
  totals.add(pipeline.id, stage.id, lead.currency, 1, lead.value);
  const now = new Date();
  const status = statusIn(stage);
  const closedAt = status === "open" ? null : status === lead.status && lead.closedAt ? lead.closedAt : now;
  const lostReason = status === "lost" ? options.lostReason.trim() : "";
  const after = await unit.leads.updateLocked(workspaceId, lead, { pipelineId: pipeline.id, stageId: stage.id, status, closedAt, lostReason, stageEnteredAt: now });
  const change = await unit.stageChanges.insert(workspaceId, {
    id: newObjectId(now),
    leadId: lead.id,
    fromPipelineId: lead.pipelineId,
    fromStageId: lead.stageId,
    toPipelineId: pipeline.id,
    toStageId: stage.id,
    changedBy: options.actor ?? null,
    changedAt: now,
    timeInStageMs: String(Math.max(0, now.getTime() - lead.stageEnteredAt.getTime())),
  });
  const moved = toLeadProto(after);
  const events: DomainEvent[] = [leadStageChanged(workspaceId, { lead: moved, change: toStageChangeProto(change) })];
  if (status !== lead.status && status === "won") events.push(leadWon(workspaceId, { lead: moved }));
  if (status !== lead.status && status === "lost") events.push(leadLost(workspaceId, { lead: moved, lostReason }));
  await unit.publish(events);
  return { lead: after, change };
}
