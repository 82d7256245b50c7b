import { Client } from "pg";
import { startPropertiesHarness, type PropertiesHarness } from "./test-harness";

// Owning services cache definitions per entity type and drop them on these events; on
// `deleted` they remove the key from their entities' values. Each event is an outbox row written
// in the transaction of the change, naming the entity type and key.
let harness: PropertiesHarness;
let db: Client;
beforeAll(async () => {
  harness = await startPropertiesHarness();
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await harness.stop();
});

async function outbox(workspaceId: string) {
  const { rows } = await db.query<{ event_type: string; data: Record<string, unknown> }>(
    `SELECT "event_type", "data" FROM "custom_properties"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "occurred_at", "id"`,
    [workspaceId],
  );
  return rows;
}

test("every change writes its event, with the entity type and key", async () => {
  const client = harness.workspace();
  const { property: a } = await client.createProperty({ entityType: "customer", key: "tier", label: "Tier", type: "text" });
  const { property: b } = await client.createProperty({ entityType: "customer", key: "score", label: "Score", type: "number" });
  await client.updateProperty({ id: a!.id, property: { label: "Level" }, updateMask: ["label"] });
  await client.updateProperty({ id: a!.id, property: { label: "Level" }, updateMask: ["label"] }); // no change, no event
  await client.reorderProperties({ entityType: "customer", propertyIds: [b!.id] });
  await client.deactivateProperty({ id: a!.id });
  await client.deactivateProperty({ id: a!.id }); // already inactive, no event
  await client.reactivateProperty({ id: a!.id });
  await client.deleteProperty({ id: a!.id }).catch(() => undefined); // not confirmed, no event
  await client.deleteProperty({ id: a!.id, confirm: true });

  const events = await outbox(client.workspaceId);
  expect(events.map((e) => e.event_type)).toEqual([
    "custom-properties.property.created",
    "custom-properties.property.created",
    "custom-properties.property.updated",
    "custom-properties.property.reordered",
    "custom-properties.property.deactivated",
    "custom-properties.property.reactivated",
    "custom-properties.property.deleted",
  ]);
  expect(events[0]!.data).toMatchObject({ entityType: "customer", key: "tier", property: { _id: a!.id, type: "text" } });
  expect(events[2]!.data).toMatchObject({ entityType: "customer", key: "tier", changedFields: ["label"], property: { label: "Level" } });
  expect(events[3]!.data).toEqual({ entityType: "customer", propertyIds: [b!.id, a!.id] });
  expect(events[4]!.data).toMatchObject({ entityType: "customer", key: "tier", property: { deactivatedAt: expect.any(String) } }); // active: false is the proto3 JSON default, omitted
  expect(events[6]!.data).toEqual({ entityType: "customer", key: "tier", propertyId: a!.id });
});

test("a refused change writes no event", async () => {
  const client = harness.workspace();
  await client.createProperty({ entityType: "customer", key: "first_name", label: "x", type: "text" }).catch(() => undefined);
  await client.createProperty({ entityType: "customer", key: "tier", label: "Tier", type: "select" }).catch(() => undefined);
  expect(await outbox(client.workspaceId)).toEqual([]);
});
