import { randomBytes } from "node:crypto";
import { connect } from "amqplib";
import type { DataSource } from "typeorm";
import pino from "pino";
import { TagCreatedEvent } from "@velaflows/proto/ts/velaflows/tags/v1/events";
import { runMigrations } from "../database/data-source";
import { createNotesDataSource, dropSchema, uniqueSchema } from "../database/notes.fixture";
import { newObjectId } from "../ids/object-id";
import { createServiceMetrics } from "../metrics/service-metrics";
import { createAmqpBus, deadLetterQueueOf, retryQueueOf, type AmqpBus } from "./amqp-bus";
import { defineEvent, publishEvents } from "./domain-event";
import type { EventEnvelope } from "./event-bus";
import { createOutboxRelay } from "./outbox-relay";
import { closedPort, describeWithRabbit } from "./test-rabbitmq.fixture";

const logger = pino({ level: "silent" });
const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};
const envelope = (eventType: string): EventEnvelope => ({
  eventId: `evt_${newObjectId()}`,
  eventType,
  timestamp: new Date().toISOString(),
  workspaceId: newObjectId(),
  data: { hello: "world" },
});

describeWithRabbit("createAmqpBus (RabbitMQ)", (url) => {
  const run = randomBytes(4).toString("hex");
  const queues: string[] = [];
  const queueName = (name: string) => {
    const q = `spec.${run}.${name}`;
    queues.push(q);
    return q;
  };
  // Each run has its own routing keys too, so runs sharing a broker do not see each other's events.
  const type = (name: string) => `spec${run}.${name}`;
  let bus: AmqpBus;
  beforeAll(() => {
    bus = createAmqpBus({ url, logger });
  });
  afterAll(async () => {
    await bus.close();
    const model = await connect(url);
    const channel = await model.createChannel();
    for (const q of queues) {
      for (const name of [q, deadLetterQueueOf(q), ...[10, 20, 40, 80, 100, 200, 400].map((d) => retryQueueOf(q, d))]) await channel.deleteQueue(name);
    }
    await model.close();
  });

  test("publish with confirm, consume with pattern binding", async () => {
    const got: EventEnvelope[] = [];
    const sub = await bus.subscribe(queueName("roundtrip"), [`${type("tags")}.#`], async (e) => void got.push(e));
    const a = envelope(`${type("tags")}.tag.created`);
    await bus.publish(a);
    await bus.publish(envelope(`${type("inbox")}.conversation.created`));
    await until(() => got.length === 1);
    expect(got[0]).toEqual(a);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(1);
    await sub.close();
  });

  test("a handler failing twice is retried with backoff, then succeeds", async () => {
    const times: number[] = [];
    const attempts: number[] = [];
    await bus.subscribe(
      queueName("flaky"),
      [type("flaky")],
      async (_, info) => {
        times.push(Date.now());
        attempts.push(info.attempt);
        if (info.attempt <= 2) throw new Error("not yet");
      },
      { retry: { maxAttempts: 4, baseDelayMs: 100 } },
    );
    await bus.publish(envelope(type("flaky")));
    await until(() => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(90);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(190);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toHaveLength(3);
  });

  test("an always-failing handler ends in <queue>.dlq after the last attempt", async () => {
    const queue = queueName("broken");
    let calls = 0;
    const dead: string[] = [];
    await bus.subscribe(
      queue,
      [type("broken")],
      async () => {
        calls++;
        throw new Error("always");
      },
      { retry: { maxAttempts: 3, baseDelayMs: 10 }, onDeadLetter: (e) => dead.push(e!.eventId) },
    );
    const event = envelope(type("broken"));
    await bus.publish(event);
    await until(() => dead.length === 1);
    expect(calls).toBe(3);
    const model = await connect(url);
    const channel = await model.createChannel();
    const message = await channel.get(deadLetterQueueOf(queue), { noAck: true });
    await model.close();
    expect(message && JSON.parse(message.content.toString())).toEqual(event);
  });

  test("RabbitMQ down at publish time: the outbox keeps the events and the relay delivers them when it is back", async () => {
    const schema = uniqueSchema();
    const dataSource: DataSource = createNotesDataSource(schema);
    await dataSource.initialize();
    await runMigrations(dataSource);
    try {
      const eventType = type("outbox.created");
      const factory = Object.assign((ws: string, m: TagCreatedEvent) => ({ ...defineEvent("velaflows.tags.v1.TagCreatedEvent", TagCreatedEvent)(ws, m), type: eventType }), { type: eventType });
      const ws = newObjectId();
      await dataSource.transaction((manager) => publishEvents(manager, ["a", "b"].map((name) => factory(ws, TagCreatedEvent.fromPartial({ tag: { name } })))));
      const metrics = createServiceMetrics("amqp-spec");

      const down = createAmqpBus({ url: `amqp://guest:guest@127.0.0.1:${await closedPort()}`, logger, connectTimeoutMs: 500 });
      const deadRelay = createOutboxRelay({ dataSource, bus: down, logger, metrics });
      await expect(deadRelay.drain()).rejects.toThrow("publish failed");
      await down.close();
      const pending = (await dataSource.query(`SELECT "attempts" FROM "${schema}"."outbox_events" WHERE "published_at" IS NULL`)) as { attempts: number }[];
      expect(pending).toHaveLength(2);
      expect(await metrics.registry.metrics()).toMatch(/outbox_lag_seconds\{service="amqp-spec"\} 0?\.\d+|outbox_lag_seconds\{service="amqp-spec"\} [1-9]/);

      const got: EventEnvelope[] = [];
      await bus.subscribe(queueName("outbox"), [eventType], async (e) => void got.push(e));
      const relay = createOutboxRelay({ dataSource, bus, logger, metrics, pollIntervalMs: 20 });
      relay.start();
      await until(() => got.length === 2);
      await relay.stop();
      expect(got.map((e) => (e.data as { tag: { name: string } }).tag.name)).toEqual(["a", "b"]);
      expect(await dataSource.query(`SELECT 1 FROM "${schema}"."outbox_events" WHERE "published_at" IS NULL`)).toEqual([]);
    } finally {
      await dropSchema(schema, dataSource);
    }
  });
  test("broadcast: two buses (two replicas) subscribed under one name each get the event; their queues go with their connections", async () => {
    const replica = createAmqpBus({ url, logger });
    const name = `spec.${run}.definitions`;
    const pattern = `${type("props")}.property.*`;
    const got = { first: [] as EventEnvelope[], second: [] as EventEnvelope[] };
    const queuesOf = { first: "", second: "" };
    await bus.subscribeBroadcast(name, [pattern], (e, info) => {
      got.first.push(e);
      queuesOf.first = info.queue;
    });
    await replica.subscribeBroadcast(name, [pattern], (e, info) => {
      got.second.push(e);
      queuesOf.second = info.queue;
    });
    // For contrast, a durable queue both replicas consume: they compete, one of them gets it.
    const shared: string[] = [];
    await bus.subscribe(queueName("shared-definitions"), [pattern], async () => void shared.push("first"));
    await replica.subscribe(queueName("shared-definitions"), [pattern], async () => void shared.push("second"));

    const event = envelope(`${type("props")}.property.updated`);
    await bus.publish(event);
    await until(() => got.first.length === 1 && got.second.length === 1 && shared.length === 1);
    expect(got).toEqual({ first: [event], second: [event] });
    expect(queuesOf.first.startsWith(`${name}.`)).toBe(true);
    expect(queuesOf.second).not.toBe(queuesOf.first);

    // A process's broadcast queue is its own (exclusive), and the broker drops it with the connection.
    expect(await queueState(queuesOf.second)).toBe("in use by another connection");
    await replica.close();
    await until(async () => (await queueState(queuesOf.second)) === "missing");
    expect(await queueState(queuesOf.first)).toBe("in use by another connection");
    // Later events reach the remaining replica alone.
    await bus.publish(envelope(`${type("props")}.property.deleted`));
    await until(() => got.first.length === 2);
    expect(got.second).toHaveLength(1);
  });

  test("broadcast: a failing handler drops the event (onFailure), the next one is delivered", async () => {
    const failures: string[] = [];
    const seen: string[] = [];
    const sub = await bus.subscribeBroadcast(
      `spec.${run}.failing`,
      [type("fragile.#")],
      (e) => {
        seen.push(e.eventType);
        if (e.eventType.endsWith(".bad")) throw new Error("boom");
      },
      { onFailure: (e, error) => failures.push(`${e.eventType}: ${(error as Error).message}`) },
    );
    await bus.publish(envelope(type("fragile.bad")));
    await bus.publish(envelope(type("fragile.good")));
    await until(() => seen.length === 2);
    expect(seen).toEqual([type("fragile.bad"), type("fragile.good")]);
    expect(failures).toEqual([`${type("fragile.bad")}: boom`]);
    await sub.close();
  });

  test("broadcast: after the connection is lost the queue is declared again, onResubscribed says so, and events flow again", async () => {
    // The bus reaches RabbitMQ through a local TCP relay the test can cut, as a broker restart would.
    const { createServer, connect: tcpConnect } = await import("node:net");
    const sockets = new Set<import("node:net").Socket>();
    const relay = createServer((client) => {
      const upstream = tcpConnect(Number(new URL(url).port || 5672), new URL(url).hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const relayed = new URL(url);
    relayed.hostname = "127.0.0.1";
    relayed.port = String((relay.address() as { port: number }).port);
    const replica = createAmqpBus({ url: relayed.toString(), logger, reconnectDelayMs: 50 });
    try {
      const got: string[] = [];
      const queues = new Set<string>();
      let resubscribed = 0;
      await replica.subscribeBroadcast(
        `spec.${run}.reconnect`,
        [type("again.#")],
        (e, info) => {
          got.push(e.eventId);
          queues.add(info.queue);
        },
        { onResubscribed: () => resubscribed++ },
      );
      const before = envelope(type("again.one"));
      await bus.publish(before);
      await until(() => got.length === 1);

      for (const socket of sockets) socket.destroy();
      await until(() => resubscribed === 1);
      const after = envelope(type("again.two"));
      await bus.publish(after);
      await until(() => got.length === 2);
      expect(got).toEqual([before.eventId, after.eventId]);
      expect(queues.size).toBe(1); // the same name, declared again on the new connection
    } finally {
      await replica.close();
      relay.close();
    }
  });

  // "missing", or "in use by another connection" (RabbitMQ refuses a passive declare of another
  // connection's exclusive queue with 405 RESOURCE_LOCKED).
  async function queueState(queue: string): Promise<string> {
    const model = await connect(url);
    try {
      const channel = await model.createChannel();
      channel.on("error", () => undefined);
      await channel.checkQueue(queue);
      return "present";
    } catch (error) {
      const code = (error as { code?: number }).code;
      return code === 404 ? "missing" : code === 405 ? "in use by another connection" : `error ${code}`;
    } finally {
      await model.close().catch(() => undefined);
    }
  }
});
