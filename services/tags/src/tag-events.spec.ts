import { Client } from "pg";
import { startTagsHarness, type TagsHarness } from "./test-harness";

// Delivery to the bus comes with the event backbone; what Tags owes it is an outbox row per
// change, written in the same transaction, in the documented envelope.
let harness: TagsHarness;
let db: Client;
beforeAll(async () => {
  harness = await startTagsHarness();
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await harness.stop();
});

async function outbox(workspaceId: string) {
  const { rows } = await db.query<{ id: string; event_type: string; data: Record<string, unknown> }>(
    `SELECT "id", "event_type", "data" FROM "tags"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "occurred_at", "id"`,
    [workspaceId],
  );
  return rows;
}

test("every change writes its event to the outbox", async () => {
  const client = harness.workspace();
  const { tag: a } = await client.createTag({ name: "a" });
  const { tag: b } = await client.createTag({ name: "b" });
  await client.updateTag({ id: a!.id, tag: { color: "#ff0000" }, updateMask: ["color"] });
  await client.updateTag({ id: a!.id, tag: { color: "#ff0000" }, updateMask: ["color"] }); // no change, no event
  await client.bulkAttachTags({ tagIds: [a!.id, b!.id], entities: [{ entityType: "lead", entityId: "l1" }, { entityType: "lead", entityId: "l2" }] });
  await client.detachTag({ tagId: a!.id, entity: { entityType: "lead", entityId: "l1" } });
  await client.mergeTags({ sourceId: b!.id, targetId: a!.id });
  await client.deleteTag({ id: a!.id });

  const events = await outbox(client.workspaceId);
  expect(events.map((e) => e.event_type)).toEqual([
    "tags.tag.created",
    "tags.tag.created",
    "tags.tag.updated",
    "tags.tag.attached",
    "tags.tag.attached",
    "tags.tag.detached",
    "tags.tag.merged",
    "tags.tag.deleted",
  ]);
  for (const event of events) expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);
  expect(events[0]!.data).toMatchObject({ tag: { _id: a!.id, name: "a", workspaceId: client.workspaceId } });
  expect(events[2]!.data).toMatchObject({ changedFields: ["color"], tag: { color: "#ff0000" } });
  expect(events[3]!.data).toEqual({ entity: { entityType: "lead", entityId: "l1" }, tagIds: [a!.id, b!.id] });
  expect(events[6]!.data).toMatchObject({ sourceId: b!.id, targetId: a!.id, movedCount: 1 });
  expect(events[7]!.data).toMatchObject({ tagId: a!.id, name: "a", detachedCount: 2 });
});

test("a refused change writes no event", async () => {
  const client = harness.workspace();
  const { tag } = await client.createTag({ name: "only" });
  await client.createTag({ name: "ONLY" }).catch(() => undefined);
  await client.bulkAttachTags({ tagIds: [tag!.id, "0123456789abcdef01234567"], entities: [{ entityType: "lead", entityId: "l1" }] }).catch(() => undefined);
  expect((await outbox(client.workspaceId)).map((e) => e.event_type)).toEqual(["tags.tag.created"]);
});
