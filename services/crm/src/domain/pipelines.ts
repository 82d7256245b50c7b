import { FailedPreconditionError, newObjectId, NotFoundError, ValidationError, type FieldViolation } from "@velaflows/kit";
import type { CrmStore, CrmUnit } from "../persistence/crm-store";
import type { PipelineWithStages } from "../persistence/pipeline.repository";
import { toPipelineProto } from "../persistence/mappers";
import { pipelineArchived, pipelineCreated, pipelineUpdated } from "./crm-events";

const DEFAULT_COLOR = "#6b7280";

/** A stage as given by a caller. */
export interface StageSpec {
  name: string;
  color: string;
  probability: number;
  isWon: boolean;
  isLost: boolean;
}

/** The stages of the pipeline a workspace gets on first use. */
export const DEFAULT_PIPELINE_NAME = "Sales pipeline";
export const DEFAULT_STAGES: readonly StageSpec[] = [
  { name: "New", color: "#3b82f6", probability: 10, isWon: false, isLost: false },
  { name: "Qualified", color: "#6366f1", probability: 25, isWon: false, isLost: false },
  { name: "Proposal", color: "#a855f7", probability: 50, isWon: false, isLost: false },
  { name: "Negotiation", color: "#f59e0b", probability: 75, isWon: false, isLost: false },
  { name: "Won", color: "#22c55e", probability: 100, isWon: true, isLost: false },
  { name: "Lost", color: "#ef4444", probability: 0, isWon: false, isLost: true },
];

/**
 * The workspace's default pipeline, created (with the standard stages) the first time anything
 * needs it. Concurrent first uses make one: the insert yields to the unique partial index.
 */
export async function ensureDefaultPipeline(store: CrmStore, workspaceId: string): Promise<PipelineWithStages> {
  const existing = await store.read.pipelines.findDefault(workspaceId);
  if (existing) return store.read.pipelines.withStages(workspaceId, existing);
  return store.transaction((unit) => ensureDefaultIn(unit, workspaceId));
}

/** {@link ensureDefaultPipeline} inside a unit of work. */
export async function ensureDefaultIn(unit: CrmUnit, workspaceId: string): Promise<PipelineWithStages> {
  const id = newObjectId();
  if (await unit.pipelines.insertDefaultIfMissing(workspaceId, { id, name: DEFAULT_PIPELINE_NAME, createdBy: null })) {
    await insertStages(unit, workspaceId, id, DEFAULT_STAGES);
    const created = await mustFindPipeline(unit, workspaceId, id);
    await unit.publish([pipelineCreated(workspaceId, { pipeline: toPipelineProto(created) })]);
    return created;
  }
  // Another transaction made it first; its row is committed (READ COMMITTED sees it now).
  const winner = await unit.pipelines.findDefault(workspaceId);
  if (!winner) throw new Error("default pipeline vanished after a conflicting insert");
  return unit.pipelines.withStages(workspaceId, winner);
}

/** Creates a pipeline; the workspace's first pipeline becomes its default. */
export async function createPipeline(
  store: CrmStore,
  workspaceId: string,
  input: { name: string; stages: StageSpec[]; isDefault: boolean; createdBy?: string },
): Promise<PipelineWithStages> {
  const name = cleanName(input.name, "name");
  checkStages(input.stages, "stages");
  return store.transaction(async (unit) => {
    const id = newObjectId();
    if (input.isDefault) {
      await unit.pipelines.clearDefault(workspaceId);
      await unit.pipelines.insertPipeline(workspaceId, { id, name, isDefault: true, archived: false, createdBy: input.createdBy ?? null });
    } else if (!(await unit.pipelines.insertDefaultIfMissing(workspaceId, { id, name, createdBy: input.createdBy ?? null }))) {
      await unit.pipelines.insertPipeline(workspaceId, { id, name, isDefault: false, archived: false, createdBy: input.createdBy ?? null });
    }
    await insertStages(unit, workspaceId, id, input.stages);
    const created = await mustFindPipeline(unit, workspaceId, id);
    await unit.publish([pipelineCreated(workspaceId, { pipeline: toPipelineProto(created) })]);
    return created;
  });
}

export async function getPipeline(store: CrmStore, workspaceId: string, id: string): Promise<PipelineWithStages> {
  const [pipeline, stages] = await Promise.all([store.read.pipelines.findPipeline(workspaceId, id), store.read.pipelines.stagesOf(workspaceId, id)]);
  if (!pipeline) throw new NotFoundError("Pipeline", id);
  return { pipeline, stages };
}

/** Every pipeline (the default made on first use), the default first. */
export async function listPipelines(store: CrmStore, workspaceId: string, includeArchived: boolean): Promise<PipelineWithStages[]> {
  await ensureDefaultPipeline(store, workspaceId);
  return store.read.pipelines.list(workspaceId, includeArchived);
}

export const UPDATABLE_PIPELINE_FIELDS = ["name", "is_default"] as const;

/** Renames a pipeline or makes it the default (the previous default stops being one). */
export async function updatePipeline(
  store: CrmStore,
  workspaceId: string,
  id: string,
  fields: readonly string[],
  changes: { name: string; isDefault: boolean },
): Promise<PipelineWithStages> {
  const unknown = fields.filter((f) => !(UPDATABLE_PIPELINE_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: name, is_default` }]);
  if (fields.includes("is_default") && !changes.isDefault) {
    throw new ValidationError([{ path: "pipeline.isDefault", message: "make another pipeline the default instead" }]);
  }
  return store.transaction(async (unit) => {
    const current = await lockPipeline(unit, workspaceId, id);
    const patch: { name?: string; isDefault?: boolean } = {};
    if (fields.includes("name")) {
      const name = cleanName(changes.name, "pipeline.name");
      if (name !== current.name) patch.name = name;
    }
    if (fields.includes("is_default") && !current.isDefault) {
      if (current.archived) throw new FailedPreconditionError("An archived pipeline cannot be the default", "PIPELINE_ARCHIVED");
      await unit.pipelines.clearDefault(workspaceId);
      patch.isDefault = true;
    }
    if (Object.keys(patch).length === 0) return unit.pipelines.withStages(workspaceId, current);
    await unit.pipelines.updatePipeline(workspaceId, id, patch);
    return publishUpdated(unit, workspaceId, id);
  });
}

/** Archives a pipeline; its leads stay, new leads and moves into it are refused. */
export async function archivePipeline(store: CrmStore, workspaceId: string, id: string): Promise<PipelineWithStages> {
  return store.transaction(async (unit) => {
    const current = await lockPipeline(unit, workspaceId, id);
    if (current.archived) return unit.pipelines.withStages(workspaceId, current);
    if (current.isDefault) throw new FailedPreconditionError("The default pipeline cannot be archived; make another one the default first", "PIPELINE_IS_DEFAULT");
    await unit.pipelines.updatePipeline(workspaceId, id, { archived: true });
    const archived = await mustFindPipeline(unit, workspaceId, id);
    await unit.publish([pipelineArchived(workspaceId, { pipeline: toPipelineProto(archived) })]);
    return archived;
  });
}

/** Restores an archived pipeline (publishes crm.pipeline.updated); a live one is returned as it is. */
export async function unarchivePipeline(store: CrmStore, workspaceId: string, id: string): Promise<PipelineWithStages> {
  return store.transaction(async (unit) => {
    const current = await lockPipeline(unit, workspaceId, id);
    if (!current.archived) return unit.pipelines.withStages(workspaceId, current);
    await unit.pipelines.updatePipeline(workspaceId, id, { archived: false });
    return publishUpdated(unit, workspaceId, id);
  });
}

/** Adds a stage at `position` (the end when not given). */
export async function addStage(store: CrmStore, workspaceId: string, pipelineId: string, spec: StageSpec, position: number | undefined) {
  checkStages([spec], "stage", false);
  return store.transaction(async (unit) => {
    await lockPipeline(unit, workspaceId, pipelineId);
    const stages = await unit.pipelines.stagesOf(workspaceId, pipelineId);
    if (stages.length >= 50) throw new ValidationError([{ path: "stage", message: "a pipeline has at most 50 stages" }]);
    const at = Math.min(position ?? stages.length, stages.length);
    const id = newObjectId();
    await unit.pipelines.insertStage(workspaceId, { id, pipelineId, ...stageColumns(spec), position: stages.length });
    const order = stages.map((s) => s.id);
    order.splice(at, 0, id);
    await unit.pipelines.setPositions(workspaceId, order);
    const pipeline = await publishUpdated(unit, workspaceId, pipelineId);
    return { stage: pipeline.stages.find((s) => s.id === id)!, pipeline };
  });
}

export const UPDATABLE_STAGE_FIELDS = ["name", "color", "probability", "is_won", "is_lost"] as const;

/** Changes a stage; its won/lost flags only while it holds no leads (their status follows the stage). */
export async function updateStage(store: CrmStore, workspaceId: string, pipelineId: string, id: string, fields: readonly string[], changes: StageSpec) {
  const unknown = fields.filter((f) => !(UPDATABLE_STAGE_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_STAGE_FIELDS.join(", ")}` }]);
  return store.transaction(async (unit) => {
    await lockPipeline(unit, workspaceId, pipelineId);
    const current = await mustFindStage(unit, workspaceId, pipelineId, id);
    const next = {
      name: fields.includes("name") ? cleanName(changes.name, "stage.name") : current.name,
      color: fields.includes("color") ? changes.color || DEFAULT_COLOR : current.color,
      probability: fields.includes("probability") ? changes.probability : current.probability,
      isWon: fields.includes("is_won") ? changes.isWon : current.isWon,
      isLost: fields.includes("is_lost") ? changes.isLost : current.isLost,
    };
    checkStages([next], "stage", false);
    if ((next.isWon !== current.isWon || next.isLost !== current.isLost) && (await unit.leads.countInStage(workspaceId, id)) > 0) {
      throw new FailedPreconditionError("The won/lost flags of a stage that holds leads cannot change; move its leads first", "STAGE_NOT_EMPTY");
    }
    await unit.pipelines.updateStage(workspaceId, id, next);
    const pipeline = await publishUpdated(unit, workspaceId, pipelineId);
    return pipeline.stages.find((s) => s.id === id)!;
  });
}

/** Deletes an empty stage; a pipeline keeps at least one. */
export async function deleteStage(store: CrmStore, workspaceId: string, pipelineId: string, id: string): Promise<PipelineWithStages> {
  return store.transaction(async (unit) => {
    await lockPipeline(unit, workspaceId, pipelineId);
    await mustFindStage(unit, workspaceId, pipelineId, id);
    const stages = await unit.pipelines.stagesOf(workspaceId, pipelineId);
    if (stages.length === 1) throw new FailedPreconditionError("A pipeline keeps at least one stage", "LAST_STAGE");
    if ((await unit.leads.countInStage(workspaceId, id)) > 0) throw new FailedPreconditionError("The stage holds leads; move them first", "STAGE_NOT_EMPTY");
    await unit.pipelines.deleteStage(workspaceId, id);
    await unit.leads.deleteStageTotals(workspaceId, id);
    await unit.pipelines.setPositions(workspaceId, stages.filter((s) => s.id !== id).map((s) => s.id));
    return publishUpdated(unit, workspaceId, pipelineId);
  });
}

/** Puts the stages in the order of `stageIds`, which must name each stage of the pipeline once. */
export async function reorderStages(store: CrmStore, workspaceId: string, pipelineId: string, stageIds: readonly string[]): Promise<PipelineWithStages> {
  if (new Set(stageIds).size !== stageIds.length) throw new ValidationError([{ path: "stageIds", message: "must not repeat a stage" }]);
  return store.transaction(async (unit) => {
    await lockPipeline(unit, workspaceId, pipelineId);
    const stages = await unit.pipelines.stagesOf(workspaceId, pipelineId);
    const known = new Set(stages.map((s) => s.id));
    const violations: FieldViolation[] = stageIds.flatMap((sid, i) => (known.has(sid) ? [] : [{ path: `stageIds[${i}]`, message: "is not a stage of this pipeline" }]));
    if (violations.length === 0 && stageIds.length !== stages.length) violations.push({ path: "stageIds", message: `must name all ${stages.length} stages of the pipeline` });
    if (violations.length > 0) throw new ValidationError(violations);
    await unit.pipelines.setPositions(workspaceId, stageIds);
    return publishUpdated(unit, workspaceId, pipelineId);
  });
}

export async function mustFindPipeline(unit: Pick<CrmUnit, "pipelines">, workspaceId: string, id: string): Promise<PipelineWithStages> {
  const pipeline = await unit.pipelines.findPipeline(workspaceId, id);
  if (!pipeline) throw new NotFoundError("Pipeline", id);
  return unit.pipelines.withStages(workspaceId, pipeline);
}

async function lockPipeline(unit: CrmUnit, workspaceId: string, id: string) {
  const pipeline = await unit.pipelines.lockPipeline(workspaceId, id);
  if (!pipeline) throw new NotFoundError("Pipeline", id);
  return pipeline;
}

async function mustFindStage(unit: CrmUnit, workspaceId: string, pipelineId: string, id: string) {
  const stage = await unit.pipelines.findStage(workspaceId, id);
  if (!stage || stage.pipelineId !== pipelineId) throw new NotFoundError("Stage", id);
  return stage;
}

async function publishUpdated(unit: CrmUnit, workspaceId: string, pipelineId: string): Promise<PipelineWithStages> {
  await unit.pipelines.touchPipeline(workspaceId, pipelineId);
  const pipeline = await mustFindPipeline(unit, workspaceId, pipelineId);
  await unit.publish([pipelineUpdated(workspaceId, { pipeline: toPipelineProto(pipeline) })]);
  return pipeline;
}

async function insertStages(unit: CrmUnit, workspaceId: string, pipelineId: string, specs: readonly StageSpec[]): Promise<void> {
  for (const [position, spec] of specs.entries()) {
    await unit.pipelines.insertStage(workspaceId, { id: newObjectId(), pipelineId, ...stageColumns(spec), position });
  }
}

function stageColumns(spec: StageSpec) {
  return { name: spec.name.trim(), color: spec.color || DEFAULT_COLOR, probability: spec.probability, isWon: spec.isWon, isLost: spec.isLost };
}

function checkStages(specs: readonly StageSpec[], path: string, indexed = true): void {
  const violations: FieldViolation[] = [];
  specs.forEach((spec, i) => {
    const at = indexed ? `${path}[${i}]` : path;
    if (spec.name.trim().length === 0) violations.push({ path: `${at}.name`, message: "must not be blank" });
    if (spec.isWon && spec.isLost) violations.push({ path: `${at}.isLost`, message: "a stage is won or lost, not both" });
    if (!Number.isInteger(spec.probability) || spec.probability < 0 || spec.probability > 100) {
      violations.push({ path: `${at}.probability`, message: "must be between 0 and 100" });
    }
  });
  if (violations.length > 0) throw new ValidationError(violations);
}

function cleanName(name: string, path: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new ValidationError([{ path, message: "must be 1 to 100 characters" }]);
  return trimmed;
}
