import { newObjectId, NotFoundError, type ListParams } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { ActivityEntity, StageChangeEntity, TaskEntity } from "../persistence/entities";
import { toActivityProto } from "../persistence/mappers";
import { activityAdded } from "./crm-events";
import { mustFindLead } from "./leads";

/** Logs a call, meeting, e-mail or note against a lead and publishes crm.activity.added. */
export async function logActivity(
  store: CrmStore,
  workspaceId: string,
  input: { leadId: string; type: string; subject: string; body: string; occurredAt?: Date; durationSeconds: number; createdBy?: string },
): Promise<ActivityEntity> {
  return store.transaction(async (unit) => {
    await mustFindLead(unit, workspaceId, input.leadId);
    const now = new Date();
    const activity = await unit.activities.insert(workspaceId, {
      id: newObjectId(now),
      leadId: input.leadId,
      type: input.type,
      subject: input.subject.trim(),
      body: input.body,
      occurredAt: input.occurredAt ?? now,
      durationSeconds: input.durationSeconds,
      createdBy: input.createdBy ?? null,
    });
    const saved = (await unit.activities.findById(workspaceId, activity.id))!;
    await unit.publish([activityAdded(workspaceId, { activity: toActivityProto(saved) })]);
    return saved;
  });
}

export async function listActivities(store: CrmStore, workspaceId: string, leadId: string, type: string | undefined, params: ListParams) {
  await mustFindLead(store.read, workspaceId, leadId);
  return store.read.activities.forLead(workspaceId, leadId, type, params);
}

export async function deleteActivity(store: CrmStore, workspaceId: string, leadId: string, id: string): Promise<void> {
  const activity = await store.read.activities.findById(workspaceId, id);
  if (!activity || activity.leadId !== leadId) throw new NotFoundError("Activity", id);
  await store.read.activities.delete(workspaceId, id);
}

/** One entry of a lead's timeline with its entity. */
export type TimelineItem =
  | { kind: "activity"; at: Date; activity: ActivityEntity }
  | { kind: "stage_change"; at: Date; stageChange: StageChangeEntity }
  | { kind: "task"; at: Date; task: TaskEntity };

/** A page of a lead's activities, stage changes and tasks, newest first. */
export async function leadTimeline(store: CrmStore, workspaceId: string, leadId: string, params: ListParams) {
  await mustFindLead(store.read, workspaceId, leadId);
  const { rows, pagination } = await store.read.activities.timeline(workspaceId, leadId, params);
  const idsOf = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.id);
  const [activities, changes, tasks] = await Promise.all([
    store.read.activities.findByIds(workspaceId, idsOf("activity")),
    store.read.stageChanges.findByIds(workspaceId, idsOf("stage_change")),
    store.read.tasks.findByIds(workspaceId, idsOf("task")),
  ]);
  const byId = new Map<string, ActivityEntity | StageChangeEntity | TaskEntity>([...activities, ...changes, ...tasks].map((e) => [e.id, e]));
  // A row deleted between the two reads is left out.
  const items = rows.flatMap((row): TimelineItem[] => {
    const entity = byId.get(row.id);
    if (!entity) return [];
    if (row.kind === "activity") return [{ kind: "activity", at: row.at, activity: entity as ActivityEntity }];
    if (row.kind === "stage_change") return [{ kind: "stage_change", at: row.at, stageChange: entity as StageChangeEntity }];
    return [{ kind: "task", at: row.at, task: entity as TaskEntity }];
  });
  return { items, pagination };
}
