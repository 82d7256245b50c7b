import { Counter, Histogram, type Registry } from "prom-client";
import type { Logger } from "@velaflows/kit";
import type { WebhookConfig } from "../config";
import type { ClaimedDelivery } from "../persistence/delivery-queue";
import type { IntegrationsStore, IntegrationsUnit } from "../persistence/integrations-store";
import type { StoredAttempt } from "../persistence/webhook-delivery.entity";
import type { WebhookSubscriptionEntity } from "../persistence/webhook-subscription.entity";
import { webhookDeactivated } from "./integration-events";
import { FAILURE_WINDOW_MS, nextAttemptAt } from "./retry-schedule";
import { signatureOf } from "./signing";
import { sendWebhook, type SendResult } from "./webhook-sender";

export interface DeliveryWorker {
  start(): void;
  /** Looks for due deliveries now instead of at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the requests in flight to be recorded. */
  stop(): Promise<void>;
}

/** What happened to a delivery after one attempt; the `outcome` label of the metrics. */
type Outcome = "succeeded" | "retrying" | "failed" | "gone" | "refused" | "inactive";

/**
 * Sends due webhook deliveries. Each pass claims as many due deliveries as there are free
 * request slots (the claim is a lease in the table, see DeliveryQueue.claim), sends them
 * concurrently and records each attempt in its own short transaction: the next attempt on the
 * retry schedule, success, or failure for good; 410 Gone or 24 hours of failures deactivate the
 * subscription and publish integrations.webhook.deactivated. An idle worker sleeps until the next
 * delivery is due or the poll interval passes, whichever comes first.
 */
export function createDeliveryWorker(options: { store: IntegrationsStore; config: WebhookConfig; logger: Logger; registry: Registry }): DeliveryWorker {
  const { store, config, logger } = options;
  const policy = { requireHttps: config.requireHttps, allowPrivateTargets: config.allowPrivateTargets };
  // A claimed delivery whose worker died is taken again once this runs out.
  const leaseMs = config.timeoutMs + 30_000;
  const deliveries =
    (options.registry.getSingleMetric("webhook_deliveries_total") as Counter<"outcome"> | undefined) ??
    new Counter({ name: "webhook_deliveries_total", help: "Webhook attempts, by what they led to.", labelNames: ["outcome"], registers: [options.registry] });
  const duration =
    (options.registry.getSingleMetric("webhook_request_duration_seconds") as Histogram | undefined) ??
    new Histogram({
      name: "webhook_request_duration_seconds",
      help: "Duration of webhook requests, from connection to the receiver's full answer.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [options.registry],
    });

  let running = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const inFlight = new Set<Promise<void>>();

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(timer);
      wakeUp = undefined;
      woken = false;
    });

  const deliver = async (delivery: ClaimedDelivery) => {
    if (!delivery.active) {
      await store.transaction((unit) => store.queue.markFailed(unit.manager, delivery.id));
      deliveries.inc({ outcome: "inactive" });
      return;
    }
    const body = JSON.stringify(delivery.payload);
    const startedAt = new Date();
    const result = await sendWebhook(
      delivery.url,
      body,
      {
        "content-type": "application/json",
        "x-webhook-event": delivery.payload.eventType,
        "x-webhook-delivery-id": delivery.id,
        "x-webhook-signature": signatureOf(body, delivery.secret),
      },
      { timeoutMs: config.timeoutMs, policy },
    );
    duration.observe(result.latencyMs / 1000);
    const outcome = await store.transaction((unit) => recordAttempt(unit, delivery, startedAt, result));
    deliveries.inc({ outcome });
  };

  const recordAttempt = async (unit: IntegrationsUnit, delivery: ClaimedDelivery, startedAt: Date, result: SendResult): Promise<Outcome> => {
    const number = delivery.attempts.length + 1;
    const attempt: StoredAttempt = {
      number,
      scheduledAt: delivery.dueAt.toISOString(),
      startedAt: startedAt.toISOString(),
      latencyMs: result.latencyMs,
      responseStatus: result.status,
      error: result.error,
      success: result.error === "",
    };
    const { workspaceId, subscriptionId } = delivery;
    if (attempt.success) {
      await store.queue.record(unit.manager, delivery.id, attempt, "succeeded", null);
      if (delivery.failingSince) await unit.subscriptions.update(workspaceId, subscriptionId, { failingSince: null });
      return "succeeded";
    }
    const failedAt = new Date(startedAt.getTime() + result.latencyMs);
    const firstAttemptAt = delivery.attempts[0] ? new Date(delivery.attempts[0].startedAt) : startedAt;
    const retryAt = result.status === 410 || result.refused ? null : nextAttemptAt(number, failedAt, firstAttemptAt, config.timeScale);
    await store.queue.record(unit.manager, delivery.id, attempt, retryAt ? "pending" : "failed", retryAt);
    const subscription = await unit.subscriptions.findById(workspaceId, subscriptionId);
    if (!subscription?.active) return retryAt ? "retrying" : "failed";
    if (result.status === 410) {
      await deactivate(unit, subscription, "gone");
      return "gone";
    }
    const failingSince = subscription.failingSince ?? startedAt;
    if (!subscription.failingSince) await unit.subscriptions.update(workspaceId, subscriptionId, { failingSince });
    if (failedAt.getTime() - failingSince.getTime() >= FAILURE_WINDOW_MS * config.timeScale) {
      await deactivate(unit, { ...subscription, failingSince }, "failing");
      return "failed";
    }
    return result.refused ? "refused" : retryAt ? "retrying" : "failed";
  };

  const deactivate = async (unit: IntegrationsUnit, subscription: WebhookSubscriptionEntity, reason: "gone" | "failing") => {
    const { workspaceId, id } = subscription;
    await unit.subscriptions.update(workspaceId, id, { active: false, deactivatedReason: reason });
    await store.queue.failPendingOf(unit.manager, id);
    await unit.publish([
      webhookDeactivated(workspaceId, {
        subscriptionId: id,
        url: subscription.url,
        reason,
        failingSince: reason === "failing" ? (subscription.failingSince ?? undefined) : undefined,
      }),
    ]);
    logger.warn({ workspace_id: workspaceId, subscription_id: id, reason }, "webhook subscription deactivated");
  };

  const track = (delivery: ClaimedDelivery) => {
    const work = deliver(delivery)
      .catch((error: unknown) => logger.error({ err: error, delivery_id: delivery.id }, "webhook delivery could not be recorded; retried after its lease"))
      .finally(() => {
        inFlight.delete(work);
        wake();
      });
    inFlight.add(work);
  };

  const run = async () => {
    while (running) {
      let pause = config.pollIntervalMs;
      try {
        const free = config.concurrency - inFlight.size;
        if (free > 0) {
          const claimed = await store.queue.claim(free, leaseMs);
          for (const delivery of claimed) track(delivery);
          if (claimed.length === free) pause = 0;
          else {
            const due = await store.queue.nextDueAt();
            if (due) pause = Math.max(0, Math.min(pause, due.getTime() - Date.now()));
          }
        }
      } catch (error) {
        if (!running) break;
        logger.error({ err: error }, "webhook worker: pass failed");
        pause = 1_000;
      }
      if (running) await sleep(inFlight.size >= config.concurrency ? 60_000 : pause);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake,
    async stop() {
      running = false;
      wake();
      await loop;
      loop = undefined;
      await Promise.allSettled([...inFlight]);
    },
  };
}
