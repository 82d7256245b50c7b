import { Client } from "pg";
import { createEventBus, loadEventBusConfig, newObjectId, type EventBus } from "@velaflows/kit";
import { expectFailure } from "@velaflows/testing";
import { eventually, startCustomersHarness, type CustomersHarness } from "./test-harness";

let h: CustomersHarness;
let db: Client;
// The bus the services use: RabbitMQ with AMQP_URL, else this process's in-process bus.
let bus: EventBus;
beforeAll(async () => {
  bus = createEventBus(loadEventBusConfig(process.env));
  h = await startCustomersHarness();
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db.end();
  await h.stop();
  await bus.close();
});

/** The events this service wrote to its outbox for a workspace, oldest first. */
async function outbox(workspaceId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const { rows } = await db.query(`SELECT "event_type" AS type, "data" FROM "customers"."outbox_events" WHERE "workspace_id" = $1 ORDER BY "id"`, [workspaceId]);
  return rows as { type: string; data: Record<string, unknown> }[];
}

test("merge combines identities, e-mails, phones, tags, properties and notes under the documented rules", async () => {
  const { workspaceId, customers, tags, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "plan", label: "Plan", type: "text" });
  await properties.createProperty({ entityType: "customer", key: "score", label: "Score", type: "number" });
  const vip = (await tags.createTag({ name: "VIP" })).tag!;
  const lead = (await tags.createTag({ name: "Lead" })).tag!;
  const target = (
    await customers.createCustomer({
      firstName: "Ann",
      emails: [{ address: "ann@example.com" }],
      identities: { telegram: "111" },
      consent: { whatsapp: { optedIn: true } },
      customProperties: { plan: "pro" },
      tagIds: [vip.id],
      lastContactAt: new Date("2026-01-01T00:00:00Z"),
    })
  ).customer!;
  const source1 = (
    await customers.createCustomer({
      firstName: "Annie",
      lastName: "Smith",
      company: "Acme",
      emails: [{ address: "annie@work.com" }, { address: "ann@example.org" }],
      phones: [{ number: "+15555550100" }],
      identities: { telegram: "222", whatsapp: "+15555550100" },
      customProperties: { plan: "free", score: 7 },
      tagIds: [lead.id],
      firstContactAt: new Date("2025-06-01T00:00:00Z"),
      lastContactAt: new Date("2026-02-01T00:00:00Z"),
    })
  ).customer!;
  const source2 = (await customers.createCustomer({ lastName: "Jones", company: "Other", consent: { whatsapp: { optedOut: true } }, phones: [{ number: "+15555550199" }] })).customer!;
  await customers.createNote({ customerId: source1.id, body: "called about renewal" });
  await customers.createNote({ customerId: target.id, body: "VIP since 2024" });

  const { customer, merge } = await customers.mergeCustomers({ id: target.id, sourceIds: [source1.id, source2.id] });
  expect(customer).toMatchObject({
    id: target.id,
    firstName: "Ann", // the target's
    lastName: "Smith", // empty on the target: the first source's
    company: "Acme",
    primaryEmail: "ann@example.com",
    primaryPhone: "+15555550100",
    identities: { telegram: "111", whatsapp: "+15555550100" },
    consent: { whatsapp: { optedIn: false, optedOut: true } }, // an opt-out is never lost
    customProperties: { plan: "pro", score: 7 },
    tagIds: [vip.id, lead.id].sort(),
    firstContactAt: new Date("2025-06-01T00:00:00Z"),
    lastContactAt: new Date("2026-02-01T00:00:00Z"),
  });
  expect(customer!.emails.map((e) => e.address)).toEqual(["ann@example.com", "annie@work.com", "ann@example.org"]);
  expect(customer!.phones.map((p) => p.number)).toEqual(["+15555550100", "+15555550199"]);
  expect(merge).toMatchObject({ targetId: target.id, sourceIds: [source1.id, source2.id], movedNotes: 1 });
  expect(merge!.sources.map((s) => s.firstName)).toEqual(["Annie", ""]);

  // Sources are gone; their keys now find the target; their notes are the target's.
  expect(await expectFailure(customers.getCustomer({ id: source1.id }))).toMatchObject({ code: "NOT_FOUND" });
  expect((await customers.lookupCustomer({ email: "annie@work.com" })).customer!.id).toBe(target.id);
  expect((await customers.lookupCustomer({ channel: "whatsapp", identity: "+15555550100" })).customer!.id).toBe(target.id);
  expect((await customers.listNotes({ customerId: target.id })).items.map((n) => n.body).sort()).toEqual(["VIP since 2024", "called about renewal"]);
  // The Tags service agrees.
  expect((await tags.listEntityTags({ entity: { entityType: "customer", entityId: target.id } })).items.map((t) => t.name).sort()).toEqual(["Lead", "VIP"]);
  expect((await tags.listEntityTags({ entity: { entityType: "customer", entityId: source1.id } })).items).toEqual([]);

  // The audit record is queryable.
  expect((await customers.getMerge({ id: merge!.id })).merge).toMatchObject({ id: merge!.id, targetId: target.id });
  expect((await customers.listMerges({ targetId: target.id })).items.map((m) => m.id)).toEqual([merge!.id]);
  const timeline = await customers.getTimeline({ id: target.id, types: ["customers.customer.merged"] });
  expect(timeline.items.map((e) => e.data)).toEqual([expect.objectContaining({ mergeId: merge!.id, movedNotes: 1 })]);

  // customers.customer.merged is published (through the outbox) for other services to re-point.
  const events = await outbox(workspaceId);
  expect(events.filter((e) => e.type === "customers.customer.merged").map((e) => e.data)).toEqual([
    expect.objectContaining({ targetId: target.id, sourceIds: [source1.id, source2.id], mergeId: merge!.id }),
  ]);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["customers.customer.created", "customers.customer.merged"]));
});

test("a merge that fails midway leaves every customer intact", async () => {
  const { customers } = h.workspace();
  const target = (await customers.createCustomer({ firstName: "T", emails: [{ address: "t@example.com" }] })).customer!;
  const source = (await customers.createCustomer({ firstName: "S", emails: [{ address: "s@example.com" }] })).customer!;
  await customers.createNote({ customerId: source.id, body: "keep me" });
  // The first source is moved and deleted before the second is found missing: all of it rolls back.
  const failure = await expectFailure(customers.mergeCustomers({ id: target.id, sourceIds: [source.id, "0123456789abcdef01234567"] }));
  expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Customer", id: "0123456789abcdef01234567" } });
  expect((await customers.getCustomer({ id: source.id })).customer).toMatchObject({ firstName: "S", primaryEmail: "s@example.com" });
  expect((await customers.getCustomer({ id: target.id })).customer!.emails.map((e) => e.address)).toEqual(["t@example.com"]);
  expect((await customers.listNotes({ customerId: source.id })).items.map((n) => n.body)).toEqual(["keep me"]);
  expect((await customers.lookupCustomer({ email: "s@example.com" })).customer!.id).toBe(source.id);
  expect((await customers.listMerges({})).items).toEqual([]);

  expect(await expectFailure(customers.mergeCustomers({ id: target.id, sourceIds: [target.id] }))).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "sourceIds", message: expect.any(String) }] });
});

test("notes CRUD, and the timeline records the customer's history newest first", async () => {
  const { customers } = h.workspace("0123456789abcdef0123aaaa", "0123456789abcdef0123bbbb");
  const customer = (await customers.createCustomer({ firstName: "N" })).customer!;
  const { note } = await customers.createNote({ customerId: customer.id, body: "  first call  " });
  expect(note).toMatchObject({ body: "first call", pinned: false, customerId: customer.id, createdBy: "0123456789abcdef0123bbbb" });
  const second = (await customers.createNote({ customerId: customer.id, body: "second" })).note!;
  const { note: pinned } = await customers.updateNote({ customerId: customer.id, id: note!.id, note: { pinned: true }, updateMask: ["pinned"] });
  expect(pinned).toMatchObject({ body: "first call", pinned: true });
  expect((await customers.listNotes({ customerId: customer.id })).items.map((n) => n.body)).toEqual(["first call", "second"]);
  await customers.deleteNote({ customerId: customer.id, id: second.id });
  expect((await customers.listNotes({ customerId: customer.id })).pagination!.total).toBe(1);
  expect(await expectFailure(customers.createNote({ customerId: customer.id, body: "   " }))).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "body", message: "is required" }] });
  expect(await expectFailure(customers.createNote({ customerId: "0123456789abcdef01234567", body: "x" }))).toMatchObject({ code: "NOT_FOUND" });

  await customers.updateCustomer({ id: customer.id, customer: { company: "Acme" }, updateMask: ["company"] });
  const timeline = await customers.getTimeline({ id: customer.id });
  expect(timeline.items.map((e) => e.type)).toEqual([
    "customers.customer.updated",
    "customers.note.deleted",
    "customers.note.updated",
    "customers.note.created",
    "customers.note.created",
    "customers.customer.created",
  ]);
  expect(timeline.items[0]).toMatchObject({ summary: "Updated company", actorId: "0123456789abcdef0123bbbb", data: { changedFields: ["company"] } });
});

test("tags attached in the Tags service reach the customer's tag copy and timeline through events; a late event cannot undo a later change", async () => {
  const { workspaceId, customers, tags } = h.workspace();
  const customer = (await customers.createCustomer({ firstName: "E" })).customer!;
  const tagId = (await tags.createTag({ name: "Attached in Tags" })).tag!.id;
  await tags.attachTag({ tagId, entity: { entityType: "customer", entityId: customer.id } });
  const tagged = await eventually(() => customers.getCustomer({ id: customer.id }), (r) => r.customer!.tagIds.length > 0);
  expect(tagged.customer!.tagIds).toEqual([tagId]);
  const timeline = await customers.getTimeline({ id: customer.id, types: ["tags.tag.attached"] });
  expect(timeline.items.map((e) => e.data)).toEqual([expect.objectContaining({ tagIds: [tagId] })]);
  expect((await customers.listCustomers({ filter: { tagIds: [tagId] } })).items.map((c) => c.id)).toEqual([customer.id]);

  // A tag merged into another in Tags: the customer carries the target instead.
  const targetTagId = "0123456789abcdef0123dddd";
  await bus.publish({ eventId: `evt_${tagId}`, eventType: "tags.tag.merged", timestamp: new Date().toISOString(), workspaceId, data: { sourceId: tagId, targetId: targetTagId, movedCount: 1 } });
  const moved = await eventually(() => customers.getCustomer({ id: customer.id }), (r) => r.customer!.tagIds.includes(targetTagId));
  expect(moved.customer!.tagIds).toEqual([targetTagId]);

  // A tag deleted in Tags leaves every customer.
  await bus.publish({ eventId: `evt_${workspaceId}`, eventType: "tags.tag.deleted", timestamp: new Date().toISOString(), workspaceId, data: { tagId: targetTagId, name: "x", detachedCount: 1 } });
  const untagged = await eventually(() => customers.getCustomer({ id: customer.id }), (r) => r.customer!.tagIds.length === 0);
  expect(untagged.customer!.tagIds).toEqual([]);

  // The tag taken off through this service, then that attach delivered again, late (as a broker
  // may): the copy follows what Tags holds, not the stale event.
  await customers.setCustomerTags({ id: customer.id, tagIds: [] });
  const late = `evt_${newObjectId()}`;
  const data = { entity: { entityType: "customer", entityId: customer.id }, tagIds: [tagId] };
  await bus.publish({ eventId: late, eventType: "tags.tag.attached", timestamp: new Date().toISOString(), workspaceId, data });
  await eventually(
    () => db.query(`SELECT 1 FROM "customers"."processed_events" WHERE "event_id" = $1`, [late]),
    (result) => result.rowCount === 1,
  );
  expect((await customers.getCustomer({ id: customer.id })).customer!.tagIds).toEqual([]);
  expect((await customers.listCustomers({ filter: { tagIds: [tagId] } })).pagination!.total).toBe(0);
});

test("a custom property deleted in Custom Properties leaves every customer's values", async () => {
  const { workspaceId, customers, properties } = h.workspace();
  await properties.createProperty({ entityType: "customer", key: "nickname", label: "Nickname", type: "text" });
  await properties.createProperty({ entityType: "customer", key: "vip", label: "VIP", type: "boolean" });
  const customer = (await customers.createCustomer({ firstName: "P", customProperties: { nickname: "Pete", vip: true } })).customer!;
  await bus.publish({
    eventId: `evt_${customer.id}`,
    eventType: "custom-properties.property.deleted",
    timestamp: new Date().toISOString(),
    workspaceId,
    data: { entityType: "customer", key: "nickname", propertyId: "0123456789abcdef01234567" },
  });
  const cleaned = await eventually(() => customers.getCustomer({ id: customer.id }), (r) => !("nickname" in r.customer!.customProperties!));
  expect(cleaned.customer!.customProperties).toEqual({ vip: true });
});
