// `npm run bench:webhooks`: events per second from publish() (an outbox write in a transaction)
// to a webhook received by a local HTTP receiver, through the outbox relay, the event bus
// (RabbitMQ when AMQP_URL is set, else the in-process bus), the Integrations consumer and its
// delivery worker; with 1 and with 10 subscriptions; and the outbox lag while it runs.
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import {
  createDataSource,
  createEventBus,
  createLogger,
  createOutboxRelay,
  createServiceMetrics,
  createServiceClient,
  loadEventBusConfig,
  publishEvents,
  runMigrations,
  type RunningService,
} from "@velaflows/kit";
import { main as startIntegrations } from "@velaflows/integrations";
import { IntegrationsServiceClient } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import { newWorkspaceId, startTestService, startWebhookReceiver, workspaceMetadata } from "@velaflows/testing";
import { openDatabase } from "./lib/database";
import { machineFacts, table, writeJsonReport } from "./lib/report";

const RESULTS_DIR = resolve(__dirname, "results");

interface RunResult {
  subscriptions: number;
  events: number;
  /** Events per second, first publish to last webhook received. */
  eventsPerSecond: number;
  /** Webhook requests per second (events × subscriptions). */
  webhooksPerSecond: number;
  /** publish() to receipt, per webhook. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Age of the oldest unpublished outbox row, sampled every 50 ms while publishing. */
  outboxLagP50Ms: number;
  outboxLagMaxMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 400);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const concurrency = Number(process.env.BENCH_PUBLISH_CONCURRENCY ?? 4);
  const database = await openDatabase(process.env.DATABASE_URL);
  const bus = createEventBus(loadEventBusConfig(process.env));
  const suffix = randomBytes(4).toString("hex");
  const logger = createLogger({ service: "bench-publisher", level: "warn" });
  // The publishing side: a schema with the kit's outbox, relayed to the bus like any service's.
  const publisher = createDataSource({ url: database.url, schema: `bench_publisher_${suffix}`, entities: [], migrations: [], poolSize: 4 });
  await publisher.initialize();
  await runMigrations(publisher);
  const relay = createOutboxRelay({ dataSource: publisher, bus, logger, metrics: createServiceMetrics("bench-publisher"), pollIntervalMs: 20 });
  relay.start();
  const receiver = await startWebhookReceiver();
  let service: RunningService | undefined;
  const results: RunResult[] = [];
  try {
    service = await startTestService("integrations", startIntegrations, {
      DATABASE_URL: database.url,
      INTEGRATIONS_DATABASE_SCHEMA: `bench_integrations_${suffix}`,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      WEBHOOK_POLL_INTERVAL_MS: "20",
      // A service's production pool (startTestService would give it the embedded 4).
      DATABASE_POOL_SIZE: process.env.DATABASE_URL ? "10" : "4",
      LOG_LEVEL: "warn",
    });
    const { call, close } = createServiceClient(IntegrationsServiceClient, service.grpcAddress);
    try {
      for (const subscriptions of [1, 10]) {
        for (let run = 0; run < runs; run++) {
          const workspaceId = newWorkspaceId();
          const metadata = { metadata: workspaceMetadata(workspaceId) } as never;
          for (let i = 0; i < subscriptions; i++) await call.createWebhook({ url: `${receiver.url}/${i}`, events: ["tags.*"], secret: "" }, metadata);
          // The webhook.created events of the setup are not measured: wait for the bus to be quiet.
          await new Promise((r) => setTimeout(r, 500));
          results.push(await measure({ workspaceId, subscriptions, events, concurrency }));
          const last = results.at(-1)!;
          process.stderr.write(
            `${subscriptions} subscription(s), run ${run + 1}: ${last.eventsPerSecond.toFixed(0)} events/s, ${last.webhooksPerSecond.toFixed(0)} webhooks/s, ` +
              `p50 ${last.latencyP50Ms.toFixed(0)} ms, outbox lag p50 ${last.outboxLagP50Ms.toFixed(0)} ms max ${last.outboxLagMaxMs.toFixed(0)} ms\n`,
          );
        }
      }
    } finally {
      close();
    }
  } finally {
    await service?.stop();
    await relay.stop();
    await publisher.query(`DROP SCHEMA IF EXISTS "bench_publisher_${suffix}" CASCADE`).catch(() => undefined);
    await publisher.query(`DROP SCHEMA IF EXISTS "bench_integrations_${suffix}" CASCADE`).catch(() => undefined);
    await publisher.destroy();
    await bus.close();
    await receiver.close();
    await database.stop();
  }

  async function measure(run: { workspaceId: string; subscriptions: number; events: number; concurrency: number }): Promise<RunResult> {
    const publishedAt = new Map<string, number>();
    const latencies: number[] = [];
    const lags: number[] = [];
    const expected = run.events * run.subscriptions;
    const mine = (r: { json: any }) => r.json?.workspaceId === run.workspaceId && r.json?.eventType === "tags.tag.created";
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = (await publisher.query(
          `SELECT EXTRACT(EPOCH FROM (now() - min("occurred_at")))::float8 * 1000 AS "lag" FROM "bench_publisher_${suffix}"."outbox_events" WHERE "published_at" IS NULL`,
        )) as { lag: number | null }[];
        lags.push(Math.max(0, Number(row?.lag ?? 0)));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: run.concurrency }, async () => {
        while (next < run.events) {
          const index = next++;
          const tagId = randomBytes(12).toString("hex");
          await publisher.transaction(async (manager) => {
            await publishEvents(manager, [{ type: "tags.tag.created", workspaceId: run.workspaceId, data: { tag: { _id: tagId, name: `bench ${index}` } } }]);
          });
          publishedAt.set(tagId, performance.now());
        }
      }),
    );
    const received = await receiver.waitFor(expected, { filter: mine, timeoutMs: 600_000 });
    const elapsedS = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    for (const request of received) {
      const sent = publishedAt.get(request.json.data.tag._id);
      if (sent !== undefined) latencies.push(request.receivedAt - sent);
    }
    return {
      subscriptions: run.subscriptions,
      events: run.events,
      eventsPerSecond: run.events / elapsedS,
      webhooksPerSecond: expected / elapsedS,
      latencyP50Ms: quantile(latencies, 0.5),
      latencyP99Ms: quantile(latencies, 0.99),
      outboxLagP50Ms: quantile(lags, 0.5),
      outboxLagMaxMs: Math.max(0, ...lags),
    };
  }

  const summary = [1, 10].map((subscriptions) => {
    const of = results.filter((r) => r.subscriptions === subscriptions);
    return {
      subscriptions,
      eventsPerSecond: median(of.map((r) => r.eventsPerSecond)),
      webhooksPerSecond: median(of.map((r) => r.webhooksPerSecond)),
      latencyP50Ms: median(of.map((r) => r.latencyP50Ms)),
      latencyP99Ms: median(of.map((r) => r.latencyP99Ms)),
      outboxLagP50Ms: median(of.map((r) => r.outboxLagP50Ms)),
      outboxLagMaxMs: median(of.map((r) => r.outboxLagMaxMs)),
      range: [Math.min(...of.map((r) => r.eventsPerSecond)), Math.max(...of.map((r) => r.eventsPerSecond))],
    };
  });
  const report = {
    startedAt: new Date().toISOString(),
    machine: machineFacts(),
    database: database.description,
    bus: bus.kind === "amqp" ? "RabbitMQ (AMQP_URL)" : "in-process",
    config: { events, runs, publishConcurrency: concurrency },
    runs: results,
    medians: summary,
  };
  process.stdout.write(
    `\nWebhooks: publish() → outbox → ${report.bus} bus → Integrations → local receiver; ${database.description}; ` +
      `${events} events per run, medians of ${runs} runs\n\n` +
      table(
        ["subscriptions", "events/s", "webhooks/s", "(events/s range)", "latency p50", "latency p99", "outbox lag p50", "outbox lag max"],
        summary.map((s) => [
          String(s.subscriptions),
          s.eventsPerSecond.toFixed(0),
          s.webhooksPerSecond.toFixed(0),
          `${s.range[0]!.toFixed(0)}–${s.range[1]!.toFixed(0)}`,
          `${s.latencyP50Ms.toFixed(0)} ms`,
          `${s.latencyP99Ms.toFixed(0)} ms`,
          `${s.outboxLagP50Ms.toFixed(0)} ms`,
          `${s.outboxLagMaxMs.toFixed(0)} ms`,
        ]),
        "rrrrrrrr",
      ) +
      "\n",
  );
  process.stderr.write(`results written to ${await writeJsonReport(RESULTS_DIR, "webhooks", report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
