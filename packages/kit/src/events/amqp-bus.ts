import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from "amqplib";
import type { Logger } from "pino";
import {
  assertEnvelope,
  resolveRetryPolicy,
  retryDelayMs,
  type BroadcastHandler,
  type BroadcastOptions,
  type EventBus,
  type EventEnvelope,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus";

/** The topic exchange every service publishes to; the routing key is the event type. */
export const EVENTS_EXCHANGE = "velaflows.events";

/** Header carrying the delivery attempt (1-based) of a message republished for a retry. */
const ATTEMPT_HEADER = "x-velaflows-attempt";

export interface AmqpBusOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  logger?: Logger;
  /** How long connecting may take before publish or subscribe fails; 5 s by default. */
  connectTimeoutMs?: number;
  /** How long a publish waits for its confirm; 10 s by default. */
  confirmTimeoutMs?: number;
  /** Delay before reconnecting subscriptions after the connection is lost; 1 s by default (doubling up to 30 s). */
  reconnectDelayMs?: number;
}

/** The RabbitMQ bus, with the names of a queue's companion queues. */
export interface AmqpBus extends EventBus {
  readonly kind: "amqp";
}

/** `<queue>.dlq`: where a queue's events go after their last failed attempt. */
export const deadLetterQueueOf = (queue: string) => `${queue}.dlq`;
/** `<queue>.retry.<delay>ms`: a queue without consumers whose messages expire back into `queue`. */
export const retryQueueOf = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}ms`;

interface Sub {
  /** The durable queue; for a broadcast subscription, the queue of this process and subscription. */
  queue: string;
  patterns: readonly string[];
  handler: EventHandler;
  options: SubscribeOptions;
  /** Set for a broadcast subscription (see `subscribeBroadcast`). */
  broadcast?: BroadcastOptions;
  /** A broadcast subscription has consumed before: consuming again follows a gap. */
  started?: boolean;
  channel?: ConfirmChannel;
  consumerTag?: string;
  closed: boolean;
}

/**
 * The RabbitMQ event bus (amqplib). Publishing goes to the durable topic exchange
 * `velaflows.events` on a confirm channel, persistent, and resolves on the broker's confirm. The
 * connection is made on first use and again after it is lost, so a broker that is down makes
 * publish reject (the outbox keeps the events) rather than the service fail.
 *
 * Each subscription consumes a durable queue bound to its patterns, with manual acks and a
 * prefetch. A failed handler's message is republished (with confirm) to a retry queue whose
 * `x-message-ttl` is the backoff delay and whose dead-letter target is the queue itself, then
 * acked; after the last attempt it goes to `<queue>.dlq`. One retry queue per distinct delay
 * keeps expiry in order (RabbitMQ expires messages only at the head of a queue).
 *
 * A broadcast subscription consumes a queue of its own, `<name>.<host>-<random>.<n>`: exclusive to
 * the connection, auto-deleted and not durable, so the broker drops it when the subscription or
 * the connection closes; deliveries are not acknowledged (noAck) and a failed handler drops the
 * event. After a lost connection it is declared again and `onResubscribed` tells what was missed.
 */
export function createAmqpBus(options: AmqpBusOptions): AmqpBus {
  const { url, logger } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const baseReconnectMs = options.reconnectDelayMs ?? 1_000;
  let connection: Promise<{ model: ChannelModel; publisher: ConfirmChannel }> | undefined;
  const subs = new Set<Sub>();
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconnectDelay = baseReconnectMs;
  // Names this process's broadcast queues: the pod (host) for operators, random bytes for uniqueness.
  const instanceId = `${hostname().replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64)}-${randomBytes(4).toString("hex")}`;
  let broadcastCount = 0;

  const open = () =>
    (connection ??= (async () => {
      const model = await connect(url, { timeout: connectTimeoutMs });
      try {
        const publisher = await model.createConfirmChannel();
        await publisher.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
        publisher.on("error", (error: Error) => logger?.warn({ err: error }, "event bus: publisher channel error"));
        publisher.on("close", () => {
          if (!closed) void model.close().catch(() => undefined);
        });
        model.on("error", (error: Error) => logger?.warn({ err: error }, "event bus: connection error"));
        model.on("close", () => {
          connection = undefined;
          for (const sub of subs) sub.channel = undefined;
          if (!closed) {
            logger?.warn("event bus: connection to RabbitMQ lost");
            scheduleReconnect();
          }
        });
        return { model, publisher };
      } catch (error) {
        await model.close().catch(() => undefined);
        throw error;
      }
    })().catch((error: unknown) => {
      connection = undefined;
      throw error;
    }));

  // Subscriptions come back by themselves once the broker does; publishing reconnects on demand.
  const scheduleReconnect = () => {
    if (closed || reconnectTimer || ![...subs].some((s) => !s.closed)) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void (async () => {
        try {
          for (const sub of subs) if (!sub.closed && !sub.channel) await startConsuming(sub);
          reconnectDelay = baseReconnectMs;
        } catch (error) {
          logger?.warn({ err: error, retry_in_ms: reconnectDelay }, "event bus: reconnecting subscriptions failed");
          reconnectDelay = Math.min(30_000, reconnectDelay * 2);
          scheduleReconnect();
        }
      })();
    }, reconnectDelay);
    reconnectTimer.unref();
  };

  const confirmed = (send: (done: (error: unknown) => void) => boolean | void) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no publisher confirm within ${confirmTimeoutMs} ms`)), confirmTimeoutMs);
      try {
        send((error) => {
          clearTimeout(timer);
          if (error) reject(error instanceof Error ? error : new Error(`message nacked by the broker: ${String(error)}`));
          else resolve();
        });
      } catch (error) {
        clearTimeout(timer);
        reject(error as Error);
      }
    });

  const startBroadcast = async (sub: Sub, options: BroadcastOptions) => {
    const { model } = await open();
    const channel = await model.createConfirmChannel();
    try {
      const { queue } = sub;
      await channel.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
      for (const pattern of sub.patterns) await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
      channel.on("error", (error: Error) => logger?.warn({ err: error, queue }, "event bus: broadcast channel error"));
      channel.on("close", () => {
        if (sub.channel === channel) sub.channel = undefined;
        if (!closed && !sub.closed) scheduleReconnect();
      });
      const onMessage = async (message: ConsumeMessage | null) => {
        if (!message) return; // cancelled by the broker; the close handler reconnects
        const info = { attempt: 1, queue };
        let envelope: EventEnvelope;
        try {
          envelope = JSON.parse(message.content.toString("utf8")) as EventEnvelope;
          assertEnvelope(envelope);
        } catch (error) {
          logger?.warn({ err: error, queue }, "event bus: unreadable broadcast message dropped");
          return;
        }
        try {
          await sub.handler(envelope, info);
        } catch (error) {
          if (options.onFailure) options.onFailure(envelope, error, info);
          else logger?.warn({ err: error, queue, event_id: envelope.eventId, event_type: envelope.eventType }, "event bus: broadcast handler failed; event dropped");
        }
      };
      const { consumerTag } = await channel.consume(queue, (m) => void onMessage(m), { noAck: true });
      sub.channel = channel;
      sub.consumerTag = consumerTag;
      if (sub.started) options.onResubscribed?.();
      sub.started = true;
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  };

  const startConsuming = async (sub: Sub) => {
    if (sub.broadcast) return startBroadcast(sub, sub.broadcast);
    const { model } = await open();
    const channel = await model.createConfirmChannel();
    try {
      const retry = resolveRetryPolicy(sub.options.retry);
      const { queue } = sub;
      await channel.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
      await channel.assertQueue(queue, { durable: true });
      for (const pattern of sub.patterns) await channel.bindQueue(queue, EVENTS_EXCHANGE, pattern);
      await channel.assertQueue(deadLetterQueueOf(queue), { durable: true });
      const delays = new Set(Array.from({ length: retry.maxAttempts - 1 }, (_, i) => retryDelayMs(retry, i + 1)));
      for (const delay of delays) {
        await channel.assertQueue(retryQueueOf(queue, delay), {
          durable: true,
          arguments: { "x-message-ttl": delay, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue },
        });
      }
      await channel.prefetch(sub.options.prefetch ?? 10);
      channel.on("error", (error: Error) => logger?.warn({ err: error, queue }, "event bus: consumer channel error"));
      channel.on("close", () => {
        if (sub.channel === channel) sub.channel = undefined;
        if (!closed && !sub.closed) scheduleReconnect();
      });

      const republish = (target: string, message: ConsumeMessage, attempt: number) => {
        const properties: Options.Publish = {
          ...(message.properties as Options.Publish),
          headers: { ...message.properties.headers, [ATTEMPT_HEADER]: attempt },
          persistent: true,
        };
        delete properties.expiration;
        return confirmed((done) => channel.sendToQueue(target, message.content, properties, done));
      };

      const onMessage = async (message: ConsumeMessage | null) => {
        if (!message) return; // cancelled by the broker (queue deleted); the close handler reconnects
        const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER] ?? 1) || 1;
        const info = { attempt, queue };
        let envelope: EventEnvelope | undefined;
        try {
          envelope = JSON.parse(message.content.toString("utf8")) as EventEnvelope;
          assertEnvelope(envelope);
        } catch (error) {
          logger?.error({ err: error, queue }, "event bus: unreadable message dead-lettered");
          try {
            await republish(deadLetterQueueOf(queue), message, attempt);
            channel.ack(message);
            sub.options.onDeadLetter?.(undefined, error, info);
          } catch {
            channel.nack(message, false, true);
          }
          return;
        }
        try {
          await sub.handler(envelope, info);
          channel.ack(message);
          return;
        } catch (error) {
          sub.options.onFailure?.(envelope, error, info);
          const last = attempt >= retry.maxAttempts;
          try {
            await republish(last ? deadLetterQueueOf(queue) : retryQueueOf(queue, retryDelayMs(retry, attempt)), message, last ? attempt : attempt + 1);
            channel.ack(message);
            if (last) sub.options.onDeadLetter?.(envelope, error, info);
          } catch (republishError) {
            // Not moved: leave it to the broker to deliver again.
            logger?.warn({ err: republishError, queue }, "event bus: could not schedule a retry; requeued");
            try {
              channel.nack(message, false, true);
            } catch {
              // channel gone: the broker redelivers the unacked message anyway
            }
          }
        }
      };
      const { consumerTag } = await channel.consume(queue, (m) => void onMessage(m), { noAck: false });
      sub.channel = channel;
      sub.consumerTag = consumerTag;
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  };

  // Cancelling the consumer and closing its channel; a broadcast queue is deleted by the broker then.
  const subscriptionOf = (sub: Sub): Subscription => ({
    async close() {
      sub.closed = true;
      subs.delete(sub);
      const channel = sub.channel;
      sub.channel = undefined;
      if (channel) {
        try {
          if (sub.consumerTag) await channel.cancel(sub.consumerTag);
          await channel.close();
        } catch {
          // already closed
        }
      }
    },
  });

  return {
    kind: "amqp",
    async publish(envelope) {
      if (closed) throw new Error("the event bus is closed");
      assertEnvelope(envelope);
      const { publisher } = await open();
      const body = Buffer.from(JSON.stringify(envelope));
      await confirmed((done) =>
        publisher.publish(
          EVENTS_EXCHANGE,
          envelope.eventType,
          body,
          {
            persistent: true,
            contentType: "application/json",
            messageId: envelope.eventId,
            type: envelope.eventType,
            timestamp: Math.floor(Date.parse(envelope.timestamp) / 1000) || undefined,
          },
          done,
        ),
      );
    },
    async subscribe(queue, patterns, handler, options = {}): Promise<Subscription> {
      if (closed) throw new Error("the event bus is closed");
      if (patterns.length === 0) throw new Error(`subscribe(${queue}): no patterns`);
      const sub: Sub = { queue, patterns: [...patterns], handler, options, closed: false };
      await startConsuming(sub);
      subs.add(sub);
      return subscriptionOf(sub);
    },
    async subscribeBroadcast(name, patterns, handler: BroadcastHandler, options = {}): Promise<Subscription> {
      if (closed) throw new Error("the event bus is closed");
      if (patterns.length === 0) throw new Error(`subscribeBroadcast(${name}): no patterns`);
      const queue = `${name}.${instanceId}.${++broadcastCount}`;
      const sub: Sub = { queue, patterns: [...patterns], handler: async (e, info) => handler(e, info), options: {}, broadcast: options, closed: false };
      await startConsuming(sub);
      subs.add(sub);
      return subscriptionOf(sub);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const sub of subs) {
        sub.closed = true;
        await sub.channel?.close().catch(() => undefined);
      }
      subs.clear();
      const current = connection;
      connection = undefined;
      if (current) await current.then(({ model }) => model.close()).catch(() => undefined);
    },
  };
}
