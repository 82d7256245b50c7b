import { newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { CrmStore, CrmUnit } from "../persistence/crm-store";
import type { TaskEntity } from "../persistence/entities";
import { toTaskProto } from "../persistence/mappers";
import type { TaskFilter, TaskPatch } from "../persistence/task.repository";
import { taskCompleted, taskCreated, taskReopened } from "./crm-events";
import { dayWindow } from "./day-window";

/** A task as given on create, or the values of an update. */
export interface TaskInput {
  title: string;
  description: string;
  dueAt?: Date;
  assigneeId: string;
  priority: string;
  leadId: string;
  customerId: string;
}

export async function createTask(store: CrmStore, workspaceId: string, input: TaskInput & { createdBy?: string }): Promise<TaskEntity> {
  const title = cleanTitle(input.title, "title");
  return store.transaction(async (unit) => {
    if (input.leadId) await mustBeLead(unit, workspaceId, input.leadId, "leadId");
    const id = newObjectId();
    await unit.tasks.insert(workspaceId, {
      id,
      title,
      description: input.description.trim(),
      dueAt: input.dueAt ?? null,
      assigneeId: input.assigneeId || null,
      priority: input.priority || "medium",
      leadId: input.leadId || null,
      customerId: input.customerId || null,
      status: "open",
      createdBy: input.createdBy ?? null,
    });
    const task = await mustFindTask(unit, workspaceId, id);
    await unit.publish([taskCreated(workspaceId, { task: toTaskProto(task) })]);
    return task;
  });
}

export function getTask(store: CrmStore, workspaceId: string, id: string): Promise<TaskEntity> {
  return mustFindTask(store.read, workspaceId, id);
}

export const UPDATABLE_TASK_FIELDS = ["title", "description", "due_at", "assignee_id", "priority", "lead_id", "customer_id"] as const;

/** Writes the named fields; the status moves only through complete and reopen. */
export async function updateTask(store: CrmStore, workspaceId: string, id: string, fields: readonly string[], changes: TaskInput): Promise<TaskEntity> {
  if (fields.includes("status")) throw new ValidationError([{ path: "task.status", message: "changes only through /complete and /reopen" }]);
  const unknown = fields.filter((f) => !(UPDATABLE_TASK_FIELDS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_TASK_FIELDS.join(", ")}` }]);
  return store.transaction(async (unit) => {
    const current = await unit.tasks.lock(workspaceId, id);
    if (!current) throw new NotFoundError("Task", id);
    const patch: TaskPatch = {};
    if (fields.includes("title")) patch.title = cleanTitle(changes.title, "task.title");
    if (fields.includes("description")) patch.description = changes.description.trim();
    if (fields.includes("due_at")) patch.dueAt = changes.dueAt ?? null;
    if (fields.includes("assignee_id")) patch.assigneeId = changes.assigneeId || null;
    if (fields.includes("priority")) patch.priority = changes.priority || "medium";
    if (fields.includes("customer_id")) patch.customerId = changes.customerId || null;
    if (fields.includes("lead_id")) {
      if (changes.leadId) await mustBeLead(unit, workspaceId, changes.leadId, "task.leadId");
      patch.leadId = changes.leadId || null;
    }
    if (Object.keys(patch).length > 0) await unit.tasks.update(workspaceId, id, patch);
    return mustFindTask(unit, workspaceId, id);
  });
}

export async function deleteTask(store: CrmStore, workspaceId: string, id: string): Promise<void> {
  if ((await store.read.tasks.delete(workspaceId, id)) === 0) throw new NotFoundError("Task", id);
}

/** Completes an open task (by `actor`, now) and publishes crm.task.completed; a completed task stays as it is. */
export async function completeTask(store: CrmStore, workspaceId: string, id: string, actor: string | undefined): Promise<TaskEntity> {
  return store.transaction(async (unit) => {
    const current = await unit.tasks.lock(workspaceId, id);
    if (!current) throw new NotFoundError("Task", id);
    if (current.status === "completed") return current;
    await unit.tasks.update(workspaceId, id, { status: "completed", completedAt: new Date(), completedBy: actor ?? null });
    const task = await mustFindTask(unit, workspaceId, id);
    await unit.publish([taskCompleted(workspaceId, { task: toTaskProto(task) })]);
    return task;
  });
}

/** Opens a completed task again and publishes crm.task.reopened; an open task stays as it is. */
export async function reopenTask(store: CrmStore, workspaceId: string, id: string): Promise<TaskEntity> {
  return store.transaction(async (unit) => {
    const current = await unit.tasks.lock(workspaceId, id);
    if (!current) throw new NotFoundError("Task", id);
    if (current.status === "open") return current;
    await unit.tasks.update(workspaceId, id, { status: "open", completedAt: null, completedBy: null });
    const task = await mustFindTask(unit, workspaceId, id);
    await unit.publish([taskReopened(workspaceId, { task: toTaskProto(task) })]);
    return task;
  });
}

/** The task views: "all", "mine" (assigned to the caller), "overdue" and "due_today" (open tasks only). */
export async function listTasks(
  store: CrmStore,
  workspaceId: string,
  request: { view: string; timeZone: string; assigneeId: string; leadId: string; customerId: string; status: string },
  params: ListParams,
  caller: { userId?: string },
  now = new Date(),
) {
  const filter: TaskFilter = {
    assigneeId: request.assigneeId || undefined,
    leadId: request.leadId || undefined,
    customerId: request.customerId || undefined,
    status: request.status || undefined,
  };
  switch (request.view || "all") {
    case "mine":
      if (!caller.userId) throw new ValidationError([{ path: "view", message: "\"mine\" needs a signed-in user; filter by assigneeId instead" }]);
      filter.assigneeId = caller.userId;
      break;
    case "overdue":
      Object.assign(filter, { status: "open", dueBefore: now });
      break;
    case "due_today": {
      const { start, end } = dayWindow(now, request.timeZone || "UTC");
      Object.assign(filter, { status: "open", dueFrom: start, dueBefore: end });
      break;
    }
  }
  // Due dates read soonest first unless asked otherwise.
  const sortOrder = params.sortOrder || ((params.sortBy || "dueAt") === "dueAt" ? "asc" : "desc");
  return store.read.tasks.list(workspaceId, filter, { ...params, sortOrder });
}

async function mustFindTask(unit: Pick<CrmUnit, "tasks">, workspaceId: string, id: string): Promise<TaskEntity> {
  const task = await unit.tasks.findById(workspaceId, id);
  if (!task) throw new NotFoundError("Task", id);
  return task;
}

async function mustBeLead(unit: CrmUnit, workspaceId: string, leadId: string, path: string): Promise<void> {
  if (!(await unit.leads.findById(workspaceId, leadId))) throw new ValidationError([{ path, message: "no such lead" }]);
}

function cleanTitle(title: string, path: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) throw new ValidationError([{ path, message: "must not be blank" }]);
  return trimmed;
}
