import type { DataSource } from "typeorm";
import { TagCreatedEvent } from "@velaflows/proto/ts/velaflows/tags/v1/events";
import { Tag } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { runMigrations } from "../database/data-source";
import { createNotesDataSource, dropSchema, uniqueSchema } from "../database/notes.fixture";
import { newObjectId } from "../ids/object-id";
import { defineEvent, publishEvents } from "./domain-event";
import { OutboxEventEntity } from "./outbox-event.entity";

describe("defineEvent", () => {
  test("reads the event type from the message's event_type option and renders proto3 JSON", () => {
    const tagCreated = defineEvent("velaflows.tags.v1.TagCreatedEvent", TagCreatedEvent);
    expect(tagCreated.type).toBe("tags.tag.created");
    const ws = newObjectId();
    const event = tagCreated(ws, TagCreatedEvent.fromPartial({ tag: { id: "t1", name: "VIP", entityTypes: ["lead"] } }));
    expect(event).toEqual({
      type: "tags.tag.created",
      workspaceId: ws,
      data: { tag: expect.objectContaining({ _id: "t1", name: "VIP", entityTypes: ["lead"] }) },
    });
  });

  test.each([
    ["a message without event_type", "velaflows.tags.v1.Tag"],
    ["an unknown message", "velaflows.tags.v1.NoSuchEvent"],
  ])("throws at start-up for %s", (_, name) => {
    expect(() => defineEvent(name, Tag)).toThrow(`${name} is not an event message with a velaflows.api.v1.event_type option`);
  });
});

describe("publishEvents", () => {
  const schema = uniqueSchema();
  let dataSource: DataSource;
  const tagCreated = defineEvent("velaflows.tags.v1.TagCreatedEvent", TagCreatedEvent);

  beforeAll(async () => {
    dataSource = createNotesDataSource(schema);
    await dataSource.initialize();
    await runMigrations(dataSource);
  });
  afterAll(() => dropSchema(schema, dataSource));

  const outboxOf = (workspaceId: string) => dataSource.getRepository(OutboxEventEntity).find({ where: { workspaceId }, order: { id: "ASC" } });

  test("writes the events to the outbox inside the caller's transaction", async () => {
    const ws = newObjectId();
    const events = ["a", "b"].map((name) => tagCreated(ws, TagCreatedEvent.fromPartial({ tag: { id: newObjectId(), name } })));
    await dataSource.transaction((manager) => publishEvents(manager, events));
    const rows = await outboxOf(ws);
    expect(rows).toHaveLength(2);
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect(row).toMatchObject({ eventType: "tags.tag.created", workspaceId: ws, publishedAt: null, attempts: 0, data: events[i]!.data });
      expect(row.occurredAt).toBeInstanceOf(Date);
    }
  });

  test("writes nothing when the transaction rolls back", async () => {
    const ws = newObjectId();
    await expect(
      dataSource.transaction(async (manager) => {
        await publishEvents(manager, [tagCreated(ws, TagCreatedEvent.fromPartial({}))]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await outboxOf(ws)).toEqual([]);
  });

  test("refuses to publish outside a transaction", async () => {
    const ws = newObjectId();
    await expect(publishEvents(dataSource.manager, [tagCreated(ws, TagCreatedEvent.fromPartial({}))])).rejects.toThrow(
      "publishEvents() must run inside the transaction that makes the change",
    );
    expect(await outboxOf(ws)).toEqual([]);
  });

  test("does nothing for no events, even outside a transaction", async () => {
    await expect(publishEvents(dataSource.manager, [])).resolves.toBeUndefined();
  });
});
