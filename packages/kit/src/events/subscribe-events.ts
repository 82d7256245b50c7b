import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import type { ServiceMetrics } from "../metrics/service-metrics";
import type { DeliveryInfo, EventBus, EventEnvelope, RetryPolicy, Subscription } from "./event-bus";
import { eventMetrics } from "./event-metrics";

export interface SubscribeEventsOptions<P = void> {
  /** The consuming service's durable queue, e.g. "integrations.webhooks". */
  queue: string;
  /** Topic patterns: "tags.#", "*.tag.created", "#". */
  patterns: readonly string[];
  /**
   * Handles one event inside a transaction of `dataSource`, through `manager`: the event is
   * recorded as processed in that same transaction, so it takes effect exactly once even when the
   * bus delivers it again. Throw to retry (with backoff) and, after the last attempt, dead-letter.
   */
  handler(envelope: EventEnvelope, manager: EntityManager, info: DeliveryInfo, prepared: P): Promise<void>;
  /**
   * Runs before the transaction opens, its result handed to `handler`: the place for calls to
   * other services, which must not hold a transaction (on the embedded database, whose one
   * session a transaction holds, they would wait on it until their deadline).
   */
  prepare?(envelope: EventEnvelope): Promise<P>;
  /** The consumer's data source; its schema holds `processed_events`. */
  dataSource: DataSource;
  logger?: Logger;
  metrics?: Pick<ServiceMetrics, "registry">;
  retry?: Partial<RetryPolicy>;
  prefetch?: number;
}

/**
 * Subscribes a consumer with dedupe on eventId: each delivery runs in a transaction that first
 * inserts (queue, eventId) into `processed_events`; a duplicate finds the row and is acknowledged
 * without running the handler; a handler that throws rolls the insert back with its own changes.
 */
export function subscribeEvents<P = void>(bus: EventBus, options: SubscribeEventsOptions<P>): Promise<Subscription> {
  const { queue, dataSource, logger } = options;
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error("The data source has no schema; create it with createDataSource()");
  const metrics = options.metrics ? eventMetrics(options.metrics) : undefined;
  return bus.subscribe(
    queue,
    options.patterns,
    async (envelope, info) => {
      const prepared = options.prepare ? await options.prepare(envelope) : (undefined as P);
      const handled = await dataSource.transaction(async (manager) => {
        const inserted = (await manager.query(
          `INSERT INTO "${schema}"."processed_events" ("queue", "event_id") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "event_id"`,
          [queue, envelope.eventId],
        )) as unknown[];
        if (inserted.length === 0) return false;
        await options.handler(envelope, manager, info, prepared);
        return true;
      });
      if (!handled) logger?.debug({ queue, event_id: envelope.eventId }, "duplicate event skipped");
      metrics?.consumed.inc({ queue, event_type: envelope.eventType });
    },
    {
      retry: options.retry,
      prefetch: options.prefetch,
      onFailure(envelope, error, info) {
        metrics?.failed.inc({ queue, event_type: envelope.eventType });
        logger?.warn({ err: error, queue, event_id: envelope.eventId, event_type: envelope.eventType, attempt: info.attempt }, "event handler failed");
      },
      onDeadLetter(envelope, error, info) {
        metrics?.deadLettered.inc({ queue });
        logger?.error({ err: error, queue, event_id: envelope?.eventId, event_type: envelope?.eventType, attempt: info.attempt }, "event dead-lettered");
      },
    },
  );
}
