import {
  assertEnvelope,
  resolveRetryPolicy,
  retryDelayMs,
  topicMatches,
  type BroadcastHandler,
  type BroadcastOptions,
  type EventBus,
  type EventEnvelope,
  type EventHandler,
  type RetryPolicy,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus";

/** A dead-lettered event of the in-process bus, kept for inspection (tests, `npm start`). */
export interface DeadLetter {
  queue: string;
  envelope: EventEnvelope;
  error: unknown;
  attempts: number;
}

/** The in-process bus, with its dead letters readable. */
export interface InProcessBus extends EventBus {
  readonly kind: "in-process";
  /** The events dead-lettered from `queue` (its `<queue>.dlq`), oldest first. */
  deadLetters(queue: string): readonly DeadLetter[];
}

interface Consumer {
  handler: EventHandler;
  options: SubscribeOptions;
  retry: RetryPolicy;
  prefetch: number;
  inFlight: number;
  closed: boolean;
}

interface Queue {
  name: string;
  patterns: Set<string>;
  consumers: Consumer[];
  /** Events waiting for a consumer (none subscribed, or all at their prefetch). */
  ready: { envelope: EventEnvelope; attempt: number }[];
  next: number;
  dlq: DeadLetter[];
}

/**
 * The embedded event bus: RabbitMQ's topic-exchange semantics inside one process. Each queue
 * gets every event matching one of its patterns; its subscriptions compete for them; delivery is
 * asynchronous; a handler that throws is retried with exponential backoff up to the retry policy's
 * attempts, then the event is dead-lettered. Queues outlive their subscriptions (events wait for
 * the next subscriber), but not the process: events in flight are lost on exit, which the outbox
 * tolerates only for the embedded single-process mode it is meant for. A broadcast subscription
 * gets its own copy of every matching event, once, with no retry.
 */
export function createInProcessBus(): InProcessBus {
  const queues = new Map<string, Queue>();
  const timers = new Set<NodeJS.Timeout>();
  const broadcasts = new Set<{ name: string; patterns: readonly string[]; handler: BroadcastHandler; options: BroadcastOptions }>();
  let closed = false;

  const queueOf = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = { name, patterns: new Set(), consumers: [], ready: [], next: 0, dlq: [] }));
    return queue;
  };

  const dispatch = (queue: Queue) => {
    while (queue.ready.length > 0 && !closed) {
      const live = queue.consumers.filter((c) => !c.closed && c.inFlight < c.prefetch);
      if (live.length === 0) return;
      const consumer = live[queue.next++ % live.length]!;
      const { envelope, attempt } = queue.ready.shift()!;
      consumer.inFlight++;
      setImmediate(() => void deliver(queue, consumer, envelope, attempt));
    }
  };

  const deliver = async (queue: Queue, consumer: Consumer, envelope: EventEnvelope, attempt: number) => {
    const info = { attempt, queue: queue.name };
    try {
      await consumer.handler(envelope, info);
    } catch (error) {
      consumer.options.onFailure?.(envelope, error, info);
      if (attempt < consumer.retry.maxAttempts) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          queue.ready.push({ envelope, attempt: attempt + 1 });
          dispatch(queue);
        }, retryDelayMs(consumer.retry, attempt));
        timer.unref();
        timers.add(timer);
      } else {
        queue.dlq.push({ queue: queue.name, envelope, error, attempts: attempt });
        consumer.options.onDeadLetter?.(envelope, error, info);
      }
    } finally {
      consumer.inFlight--;
      dispatch(queue);
    }
  };

  return {
    kind: "in-process",
    async publish(envelope) {
      if (closed) throw new Error("the event bus is closed");
      assertEnvelope(envelope);
      for (const queue of queues.values()) {
        if ([...queue.patterns].some((p) => topicMatches(p, envelope.eventType))) {
          // Each queue gets its own copy, as from RabbitMQ.
          queue.ready.push({ envelope: structuredClone(envelope), attempt: 1 });
          dispatch(queue);
        }
      }
      for (const broadcast of broadcasts) {
        if (!broadcast.patterns.some((p) => topicMatches(p, envelope.eventType))) continue;
        const copy = structuredClone(envelope);
        const info = { attempt: 1, queue: broadcast.name };
        setImmediate(() => {
          if (closed || !broadcasts.has(broadcast)) return;
          Promise.resolve()
            .then(() => broadcast.handler(copy, info))
            .catch((error: unknown) => broadcast.options.onFailure?.(copy, error, info));
        });
      }
    },
    async subscribeBroadcast(name, patterns, handler, options = {}): Promise<Subscription> {
      if (closed) throw new Error("the event bus is closed");
      if (patterns.length === 0) throw new Error(`subscribeBroadcast(${name}): no patterns`);
      const broadcast = { name, patterns: [...patterns], handler, options };
      broadcasts.add(broadcast);
      return {
        async close() {
          broadcasts.delete(broadcast);
        },
      };
    },
    async subscribe(name, patterns, handler, options = {}): Promise<Subscription> {
      if (closed) throw new Error("the event bus is closed");
      if (patterns.length === 0) throw new Error(`subscribe(${name}): no patterns`);
      const queue = queueOf(name);
      for (const p of patterns) queue.patterns.add(p);
      const consumer: Consumer = { handler, options, retry: resolveRetryPolicy(options.retry), prefetch: options.prefetch ?? 10, inFlight: 0, closed: false };
      queue.consumers.push(consumer);
      dispatch(queue);
      return {
        async close() {
          consumer.closed = true;
          queue.consumers = queue.consumers.filter((c) => c !== consumer);
        },
      };
    },
    deadLetters: (queue) => queues.get(queue)?.dlq ?? [],
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const queue of queues.values()) for (const c of queue.consumers) c.closed = true;
      broadcasts.clear();
    },
  };
}

let shared: InProcessBus | undefined;

/**
 * The process-wide in-process bus: every service started in this process without AMQP_URL
 * (`npm start`, tests) publishes and subscribes here, so they see each other's events. Its
 * `close()` does nothing: it lives as long as the process.
 */
export function sharedInProcessBus(): InProcessBus {
  shared ??= createInProcessBus();
  return { ...shared, close: async () => undefined };
}
