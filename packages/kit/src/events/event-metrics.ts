import { Counter, Gauge, type Registry } from "prom-client";
import type { ServiceMetrics } from "../metrics/service-metrics";

/** The event backbone's instruments on a service's registry. */
export interface EventMetrics {
  /** `outbox_lag_seconds`: age of the oldest unpublished outbox event (0 when none). */
  outboxLag: Gauge;
  /** `events_published_total{event_type}` */
  published: Counter<"event_type">;
  /** `events_consumed_total{queue, event_type}`: handled successfully (duplicates included, as skipped). */
  consumed: Counter<"queue" | "event_type">;
  /** `events_failed_total{queue, event_type}`: handler attempts that threw. */
  failed: Counter<"queue" | "event_type">;
  /** `events_dead_lettered_total{queue}` */
  deadLettered: Counter<"queue">;
}

const byRegistry = new WeakMap<Registry, EventMetrics>();

/** The event instruments of `metrics`' registry, created on first use (the relay and consumers share them). */
export function eventMetrics(metrics: Pick<ServiceMetrics, "registry">): EventMetrics {
  const { registry } = metrics;
  let instruments = byRegistry.get(registry);
  if (!instruments) {
    const registers = [registry];
    instruments = {
      outboxLag: new Gauge({ name: "outbox_lag_seconds", help: "Age of the oldest event in the outbox not yet published to the bus.", registers }),
      published: new Counter({ name: "events_published_total", help: "Outbox events published to the bus, by type.", labelNames: ["event_type"], registers }),
      consumed: new Counter({ name: "events_consumed_total", help: "Events handled by a consumer, by queue and type.", labelNames: ["queue", "event_type"], registers }),
      failed: new Counter({ name: "events_failed_total", help: "Event handler attempts that failed, by queue and type.", labelNames: ["queue", "event_type"], registers }),
      deadLettered: new Counter({ name: "events_dead_lettered_total", help: "Events sent to a dead-letter queue after their last attempt, by queue.", labelNames: ["queue"], registers }),
    };
    byRegistry.set(registry, instruments);
  }
  return instruments;
}
