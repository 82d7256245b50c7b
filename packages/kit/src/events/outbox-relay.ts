import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { ServiceMetrics } from "../metrics/service-metrics";
import type { EventBus, EventEnvelope } from "./event-bus";
import { eventMetrics } from "./event-metrics";
import { ORPHANED_OUTBOX_ROW_SECONDS, OUTBOX_WRITER } from "./outbox-writer";

export interface OutboxRelayOptions {
  /** The service's data source; the relay reads `<schema>.outbox_events`. */
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  metrics: Pick<ServiceMetrics, "registry">;
  /** Pause between polls when the outbox is empty; 200 ms by default. */
  pollIntervalMs?: number;
  /**
   * Events claimed per transaction; 500 by default. Each pass costs about the same whatever its
   * size (a claim, an update, a commit), and an import writes thousands of events in seconds.
   */
  batchSize?: number;
  /** Pause after a failed publish (bus down); 1 s by default. */
  errorBackoffMs?: number;
}

export interface OutboxRelay {
  /** Starts polling (idempotent). */
  start(): void;
  /** Publishes everything pending now; resolves with the number of events published. For tests and shutdown. */
  drain(): Promise<number>;
  /** Stops polling after the batch in progress. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  event_type: string;
  workspace_id: string;
  data: unknown;
  occurred_at: Date | string;
}

/** The envelope of an outbox row. */
export function envelopeOf(row: OutboxRow): EventEnvelope {
  return {
    eventId: row.id,
    eventType: row.event_type,
    timestamp: new Date(row.occurred_at).toISOString(),
    workspaceId: row.workspace_id,
    data: row.data,
  };
}

/**
 * Ships the service's outbox to the bus. Each pass claims up to a batch of unpublished rows, oldest
 * first, with `FOR UPDATE SKIP LOCKED` (replicas share the work without publishing a row twice at
 * once), publishes them in order, all at once, awaits the bus's confirms, and marks the confirmed
 * prefix published in the same transaction. A publish that fails stops the batch (order is kept), counts an
 * attempt on the row, and the relay backs off; the rows wait in the outbox for the bus to return.
 * A crash after a confirm but before the commit publishes those rows again on the next pass:
 * duplicates are possible (consumers dedupe on eventId), losses are not.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { dataSource, bus, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  const errorBackoffMs = options.errorBackoffMs ?? 1_000;
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error("The data source has no schema; create it with createDataSource()");
  const table = `"${schema}"."outbox_events"`;
  // On the in-process bus, this process's subscribers are the only ones reached: ship the rows this
  // process wrote, and another's only once it is surely gone (several processes on one database
  // without a broker: test workers, or `npm start` beside a test run). RabbitMQ reaches everyone.
  const ownRowsOnly =
    bus.kind === "in-process"
      ? `AND ("writer" IS NULL OR "writer" = $2 OR "occurred_at" < now() - interval '${ORPHANED_OUTBOX_ROW_SECONDS} seconds')`
      : "";
  const claimParameters = (limit: number) => (bus.kind === "in-process" ? [limit, OUTBOX_WRITER] : [limit]);
  const metrics = eventMetrics(options.metrics);

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let lastError: string | undefined;

  /** One batch: returns how many rows were published and whether a publish failed. */
  const pass = async (): Promise<{ published: number; claimed: number; failed: boolean }> =>
    dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT "id", "event_type", "workspace_id", "data", "occurred_at" FROM ${table}
          WHERE "published_at" IS NULL ${ownRowsOnly}
          ORDER BY "occurred_at", "id" LIMIT $1 FOR UPDATE SKIP LOCKED`,
        claimParameters(batchSize),
      );
      // Every row is handed to the bus at once, in order (RabbitMQ: pipelined on the confirm channel,
      // one round trip for the batch instead of one per event), then the confirms are awaited.
      const outcomes = await Promise.allSettled(rows.map((row) => bus.publish(envelopeOf(row))));
      const done: string[] = [];
      let failed = false;
      for (const [i, outcome] of outcomes.entries()) {
        const row = rows[i]!;
        if (outcome.status === "rejected") {
          // The rows from here on stay in the outbox, in order; any of them the bus did confirm
          // goes again on the next pass (a duplicate, which consumers drop; never a loss).
          failed = true;
          const error: unknown = outcome.reason;
          const message = error instanceof Error ? error.message : String(error);
          if (message !== lastError) logger.warn({ err: error, event_id: row.id }, "outbox relay: publish failed; the event stays in the outbox");
          lastError = message;
          await manager.query(`UPDATE ${table} SET "attempts" = "attempts" + 1 WHERE "id" = $1`, [row.id]);
          break;
        }
        done.push(row.id);
        metrics.published.inc({ event_type: row.event_type });
      }
      if (done.length > 0) {
        await manager.query(`UPDATE ${table} SET "published_at" = now() WHERE "id" = ANY($1)`, [done]);
        if (!failed && lastError) {
          logger.info("outbox relay: publishing again");
          lastError = undefined;
        }
      }
      return { published: done.length, claimed: rows.length, failed };
    });

  const measureLag = async () => {
    const [row] = (await dataSource.query(
      `SELECT EXTRACT(EPOCH FROM (now() - min("occurred_at")))::float8 AS "lag" FROM ${table} WHERE "published_at" IS NULL`,
    )) as { lag: number | null }[];
    metrics.outboxLag.set(Math.max(0, Number(row?.lag ?? 0)));
  };

  const drain = async () => {
    let total = 0;
    try {
      for (;;) {
        const { published, claimed, failed } = await pass();
        total += published;
        if (failed) throw new Error(`outbox relay: publish failed after ${total} event(s)`);
        if (claimed < batchSize) break;
      }
    } finally {
      await measureLag();
    }
    return total;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      wake = undefined;
      timer = undefined;
    });

  const run = async () => {
    while (running) {
      let delay = pollIntervalMs;
      try {
        const { claimed, failed } = await pass();
        if (failed) delay = errorBackoffMs;
        else if (claimed === batchSize) delay = 0;
        await measureLag();
      } catch (error) {
        if (!running) break;
        logger.error({ err: error }, "outbox relay: pass failed");
        delay = errorBackoffMs;
      }
      if (running && delay > 0) await sleep(delay);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    drain,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}
