import type { DataSource } from "typeorm";
import pino from "pino";
import { TagCreatedEvent } from "@velaflows/proto/ts/velaflows/tags/v1/events";
import { runMigrations } from "../database/data-source";
import { createNotesDataSource, dropSchema, uniqueSchema } from "../database/notes.fixture";
import { newObjectId } from "../ids/object-id";
import { createServiceMetrics } from "../metrics/service-metrics";
import { defineEvent, publishEvents } from "./domain-event";
import type { EventBus, EventEnvelope } from "./event-bus";
import { createInProcessBus } from "./in-process-bus";
import { createOutboxRelay } from "./outbox-relay";
import { subscribeEvents } from "./subscribe-events";

const logger = pino({ level: "silent" });
const tagCreated = defineEvent("velaflows.tags.v1.TagCreatedEvent", TagCreatedEvent);
const schema = uniqueSchema();
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createNotesDataSource(schema);
  await dataSource.initialize();
  await runMigrations(dataSource);
});
afterAll(() => dropSchema(schema, dataSource));
beforeEach(() => dataSource.query(`DELETE FROM "${schema}"."outbox_events"`));

const publish = (ws: string, names: string[]) =>
  dataSource.transaction((manager) => publishEvents(manager, names.map((name) => tagCreated(ws, TagCreatedEvent.fromPartial({ tag: { id: newObjectId(), name } })))));
const unpublished = async () =>
  ((await dataSource.query(`SELECT "id" FROM "${schema}"."outbox_events" WHERE "published_at" IS NULL`)) as unknown[]).length;
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

test("publishes unpublished rows oldest first in the envelope, marks them, and measures lag", async () => {
  const ws = newObjectId();
  await publish(ws, ["a", "b"]);
  await publish(ws, ["c"]);
  const seen: EventEnvelope[] = [];
  const bus: EventBus = { ...createInProcessBus(), publish: async (e) => void seen.push(e) };
  const metrics = createServiceMetrics("relay-spec");
  const relay = createOutboxRelay({ dataSource, bus, logger, metrics, batchSize: 2 });
  expect(await relay.drain()).toBe(3);
  expect(seen.map((e) => (e.data as { tag: { name: string } }).tag.name)).toEqual(["a", "b", "c"]);
  const rows = (await dataSource.query(`SELECT "id", "published_at", "occurred_at" FROM "${schema}"."outbox_events" ORDER BY "occurred_at", "id"`)) as {
    id: string;
    published_at: Date | null;
    occurred_at: Date;
  }[];
  expect(seen[0]).toEqual({ eventId: rows[0]!.id, eventType: "tags.tag.created", timestamp: new Date(rows[0]!.occurred_at).toISOString(), workspaceId: ws, data: expect.any(Object) });
  expect(rows.every((r) => r.published_at !== null)).toBe(true);
  expect(await relay.drain()).toBe(0);
  const text = await metrics.registry.metrics();
  expect(text).toMatch(/events_published_total\{event_type="tags.tag.created",service="relay-spec"\} 3/);
  expect(text).toMatch(/outbox_lag_seconds\{service="relay-spec"\} 0/);
});

test("a bus that fails keeps the rows in the outbox, counting attempts; the relay delivers them once it is back", async () => {
  const ws = newObjectId();
  await publish(ws, ["a", "b"]);
  let up = false;
  const seen: string[] = [];
  const bus: EventBus = {
    ...createInProcessBus(),
    publish: async (e) => {
      if (!up) throw new Error("bus down");
      seen.push(e.eventId);
    },
  };
  const relay = createOutboxRelay({ dataSource, bus, logger, metrics: createServiceMetrics("relay-spec"), pollIntervalMs: 10, errorBackoffMs: 20 });
  relay.start();
  await until(async () => ((await dataSource.query(`SELECT max("attempts") AS "n" FROM "${schema}"."outbox_events"`)) as { n: number }[])[0]!.n >= 2);
  expect(await unpublished()).toBe(2);
  up = true;
  await until(async () => (await unpublished()) === 0);
  await relay.stop();
  expect(seen).toHaveLength(2);
});

test("a crash between the publish confirm and the mark duplicates the event; the consumer's dedupe runs the handler once", async () => {
  const ws = newObjectId();
  await publish(ws, ["once"]);
  const inner = createInProcessBus();
  let crashes = 1;
  // Confirmed by the bus, then the relay "dies" before it marks the row (its transaction rolls back).
  const crashingBus: EventBus = {
    ...inner,
    publish: async (e) => {
      await inner.publish(e);
      if (crashes-- > 0) throw Object.assign(new Error("relay killed after the confirm"), { crash: true });
    },
  };
  const handled: string[] = [];
  const deliveries: string[] = [];
  const consumerMetrics = createServiceMetrics("consumer-spec");
  await subscribeEvents(inner, {
    queue: "spec.consumer",
    patterns: ["tags.#"],
    dataSource,
    metrics: consumerMetrics,
    handler: async (envelope) => void handled.push(envelope.eventId),
  });
  await inner.subscribe("spec.observer", ["tags.#"], async (e) => void deliveries.push(e.eventId));

  const relay = createOutboxRelay({ dataSource, bus: crashingBus, logger, metrics: createServiceMetrics("relay-spec") });
  await expect(relay.drain()).rejects.toThrow("publish failed");
  expect(await unpublished()).toBe(1); // not lost
  expect(await relay.drain()).toBe(1); // the restarted relay publishes it again
  await until(() => deliveries.length === 2);
  await until(async () => (await consumerMetrics.registry.metrics()).includes('events_consumed_total{queue="spec.consumer",event_type="tags.tag.created",service="consumer-spec"} 2'));
  expect(deliveries[0]).toBe(deliveries[1]);
  expect(handled).toEqual([deliveries[0]]);
  await inner.close();
});

test("a consumer whose handler throws rolls back the dedupe row, so the retry runs the handler again", async () => {
  const bus = createInProcessBus();
  const attempts: number[] = [];
  await subscribeEvents(bus, {
    queue: "spec.retrying",
    patterns: ["#"],
    dataSource,
    retry: { baseDelayMs: 5 },
    handler: async (_, __, info) => {
      attempts.push(info.attempt);
      if (info.attempt < 2) throw new Error("transient");
    },
  });
  await bus.publish({ eventId: `evt_${newObjectId()}`, eventType: "a.b.c", timestamp: new Date().toISOString(), workspaceId: newObjectId(), data: {} });
  await until(() => attempts.length === 2);
  expect(attempts).toEqual([1, 2]);
  await bus.close();
});

test("on the in-process bus a relay ships its own process's rows, and another process's only once that one is surely gone", async () => {
  const ws = newObjectId();
  await publish(ws, ["mine"]);
  // Rows another process wrote: one just now (its own relay will ship it to its own subscribers),
  // one a minute ago (that process is gone: its event must not be lost).
  const insertForeign = (name: string, ageSeconds: number) =>
    dataSource.query(
      `INSERT INTO "${schema}"."outbox_events" ("id", "event_type", "workspace_id", "data", "occurred_at", "writer")
       VALUES ($1, 'tags.tag.created', $2, $3, now() - make_interval(secs => $4), 'another-host:1:00000000')`,
      [`evt_${newObjectId()}`, ws, JSON.stringify({ tag: { name } }), ageSeconds],
    );
  await insertForeign("theirs-recent", 0);
  await insertForeign("theirs-orphaned", 60);
  const names = (seen: EventEnvelope[]) => seen.map((e) => (e.data as { tag: { name: string } }).tag.name).sort();

  const inProcess: EventEnvelope[] = [];
  const relay = createOutboxRelay({ dataSource, bus: { ...createInProcessBus(), publish: async (e) => void inProcess.push(e) }, logger, metrics: createServiceMetrics("relay-spec-local") });
  expect(await relay.drain()).toBe(2);
  expect(names(inProcess)).toEqual(["mine", "theirs-orphaned"]);
  expect(await unpublished()).toBe(1);

  // A broker reaches every process's subscribers: a relay on RabbitMQ ships every row.
  const viaBroker: EventEnvelope[] = [];
  const brokerRelay = createOutboxRelay({ dataSource, bus: { ...createInProcessBus(), kind: "amqp", publish: async (e) => void viaBroker.push(e) }, logger, metrics: createServiceMetrics("relay-spec-broker") });
  expect(await brokerRelay.drain()).toBe(1);
  expect(names(viaBroker)).toEqual(["theirs-recent"]);
});
