import { newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { NoteEntity } from "../persistence/note.entity";
import type { CustomersStore, CustomersUnit } from "../persistence/customers-store";
import { mustFind } from "./customers";

/** The timeline types of note changes (this service's own facts; no bus event is published). */
export const NOTE_CREATED = "customers.note.created";
export const NOTE_UPDATED = "customers.note.updated";
export const NOTE_DELETED = "customers.note.deleted";

function cleanBody(body: string, path: string): string {
  const cleaned = body.trim();
  if (cleaned.length === 0) throw new ValidationError([{ path, message: "is required" }]);
  return cleaned;
}

export async function createNote(store: CustomersStore, workspaceId: string, customerId: string, input: { body: string; pinned: boolean }, actor: string | null): Promise<NoteEntity> {
  const body = cleanBody(input.body, "body");
  return store.transaction(async (unit) => {
    await mustFind(unit, workspaceId, customerId);
    const note = await unit.notes.insert(workspaceId, { id: newObjectId(), customerId, body, pinned: input.pinned, createdBy: actor });
    await unit.timeline.add(workspaceId, [{ customerId, type: NOTE_CREATED, summary: excerpt(body), actorId: actor, data: { noteId: note.id } }]);
    return mustFindNote(unit, workspaceId, customerId, note.id);
  });
}

export async function listNotes(store: CustomersStore, workspaceId: string, customerId: string, params: ListParams) {
  await mustFind(store.read, workspaceId, customerId);
  return store.read.notes.list(workspaceId, customerId, params);
}

export async function updateNote(
  store: CustomersStore,
  workspaceId: string,
  customerId: string,
  id: string,
  fields: readonly string[],
  changes: { body: string; pinned: boolean },
  actor: string | null,
): Promise<NoteEntity> {
  const unknown = fields.filter((f) => f !== "body" && f !== "pinned");
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: body, pinned` }]);
  const patch: { body?: string; pinned?: boolean } = {};
  if (fields.includes("body")) patch.body = cleanBody(changes.body, "note.body");
  if (fields.includes("pinned")) patch.pinned = changes.pinned;
  return store.transaction(async (unit) => {
    await mustFindNote(unit, workspaceId, customerId, id);
    if (Object.keys(patch).length > 0) {
      await unit.notes.update(workspaceId, id, patch);
      await unit.timeline.add(workspaceId, [{ customerId, type: NOTE_UPDATED, summary: patch.body ? excerpt(patch.body) : "Note pinned or unpinned", actorId: actor, data: { noteId: id } }]);
    }
    return mustFindNote(unit, workspaceId, customerId, id);
  });
}

export async function deleteNote(store: CustomersStore, workspaceId: string, customerId: string, id: string, actor: string | null): Promise<void> {
  await store.transaction(async (unit) => {
    await mustFindNote(unit, workspaceId, customerId, id);
    await unit.notes.delete(workspaceId, id);
    await unit.timeline.add(workspaceId, [{ customerId, type: NOTE_DELETED, summary: "Note deleted", actorId: actor, data: { noteId: id } }]);
  });
}

async function mustFindNote(unit: Pick<CustomersUnit, "notes">, workspaceId: string, customerId: string, id: string): Promise<NoteEntity> {
  const note = await unit.notes.findOne(workspaceId, customerId, id);
  if (!note) throw new NotFoundError("Note", id);
  return note;
}

function excerpt(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

export async function getTimeline(store: CustomersStore, workspaceId: string, customerId: string, types: readonly string[], params: ListParams) {
  await mustFind(store.read, workspaceId, customerId);
  return store.read.timeline.list(workspaceId, customerId, types, params);
}
