/**
 * The event bus: how outbox events travel between services. Two implementations share this
 * interface: RabbitMQ (`createAmqpBus`, selected by AMQP_URL) and an in-process bus
 * (`createInProcessBus`, the embedded default for `npm start` and tests).
 */

/** The envelope of the webhook docs (section 2.9), as it travels on the bus. */
export interface EventEnvelope {
  /** "evt_" + 24 hex: the outbox row id, stable across redeliveries (consumers dedupe on it). */
  eventId: string;
  /** "service.entity.action"; the routing key. */
  eventType: string;
  /** ISO 8601, when the change happened (the outbox row's occurred_at). */
  timestamp: string;
  workspaceId: string;
  data: unknown;
}

/** About one delivery of an event to a handler. */
export interface DeliveryInfo {
  /** 1 for the first delivery, then 2, 3… for each retry. */
  attempt: number;
  /** The queue the event was delivered from. */
  queue: string;
}

/**
 * Handles one event. Resolving acknowledges it; throwing (or rejecting) schedules a retry with
 * backoff, and after the last attempt sends the event to the queue's dead-letter queue.
 */
export type EventHandler = (envelope: EventEnvelope, info: DeliveryInfo) => Promise<void>;

/** Bounded retries with exponential backoff. */
export interface RetryPolicy {
  /** Deliveries in all, first one included, before dead-lettering; 5 by default. */
  maxAttempts: number;
  /** Delay before the first retry; doubled for each further one. 1000 ms by default. */
  baseDelayMs: number;
  /** Upper bound of a delay; 60 s by default. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 });

/** What a subscription may set besides its queue, patterns and handler. */
export interface SubscribeOptions {
  retry?: Partial<RetryPolicy>;
  /** Deliveries in flight at once for this subscription; 10 by default. */
  prefetch?: number;
  /** Called when an event is dead-lettered (after its last failed attempt, or when unreadable). */
  onDeadLetter?(envelope: EventEnvelope | undefined, error: unknown, info: DeliveryInfo): void;
  /** Called after each failed attempt, before the retry or dead-lettering. */
  onFailure?(envelope: EventEnvelope, error: unknown, info: DeliveryInfo): void;
}

/** A broadcast subscription's handler: runs once in every subscribed process; it must be idempotent. */
export type BroadcastHandler = (envelope: EventEnvelope, info: DeliveryInfo) => Promise<void> | void;

/** What a broadcast subscription may set. */
export interface BroadcastOptions {
  /** Called when the handler throws; the event is dropped (no retries, no dead letters). */
  onFailure?(envelope: EventEnvelope, error: unknown, info: DeliveryInfo): void;
  /**
   * Called when the subscription is consuming again after the broker connection was lost: events
   * published in between were not seen by this process (drop whatever they would have refreshed).
   */
  onResubscribed?(): void;
}

/** A running subscription. */
export interface Subscription {
  /** Stops consuming; the queue (and in RabbitMQ its messages) stays. */
  close(): Promise<void>;
}

export interface EventBus {
  readonly kind: "in-process" | "amqp";
  /**
   * Publishes one event with the event type as routing key. Resolves once the bus has taken
   * responsibility for it (RabbitMQ: the publisher confirm); rejects when it has not, in which
   * case the caller keeps the event and tries again.
   */
  publish(envelope: EventEnvelope): Promise<void>;
  /**
   * Consumes `queue` (durable, created when missing), bound to the topic patterns (`*` one word,
   * `#` zero or more words: "tags.#", "*.tag.created"). Several subscriptions on one queue
   * compete for its events; each queue gets every matching event.
   */
  subscribe(queue: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription>;
  /**
   * Every subscriber, in every process, gets each matching event: for state each replica keeps
   * for itself, such as caches to invalidate. RabbitMQ: a queue of this process alone,
   * `<name>.<instance>` (exclusive, auto-delete, not durable, so it vanishes with the
   * connection), bound to the patterns; in-process: each subscription gets its own copy. Unlike
   * `subscribe`: no retries, no dead letters, no dedupe (handlers must be idempotent), and events
   * published while the process is not subscribed (before it starts, while reconnecting) are
   * never seen by it (see `onResubscribed`).
   */
  subscribeBroadcast(name: string, patterns: readonly string[], handler: BroadcastHandler, options?: BroadcastOptions): Promise<Subscription>;
  /** Stops every subscription and releases connections. */
  close(): Promise<void>;
}

/** The retry policy with defaults filled in. */
export function resolveRetryPolicy(retry: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...retry };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error(`retry.maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) throw new Error("retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs");
  return policy;
}

/** The delay before attempt `attempt + 1`, after attempt `attempt` (1-based) failed. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, Math.round(policy.baseDelayMs * 2 ** (attempt - 1)));
}

/**
 * RabbitMQ topic matching: routing keys and patterns are dot-separated words; `*` matches exactly
 * one word and `#` zero or more.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split(".");
  const k = routingKey.split(".");
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (k.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === p.length) result = j === k.length;
    else if (p[i] === "#") result = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else result = j < k.length && (p[i] === "*" || p[i] === k[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

const EVENT_ID = /^evt_[0-9a-f]{24}$/;

/** Checks an envelope before it is published or after it is received; throws on a malformed one. */
export function assertEnvelope(value: unknown): asserts value is EventEnvelope {
  const e = value as Partial<EventEnvelope> | null;
  if (
    typeof e !== "object" ||
    e === null ||
    typeof e.eventId !== "string" ||
    !EVENT_ID.test(e.eventId) ||
    typeof e.eventType !== "string" ||
    e.eventType === "" ||
    typeof e.timestamp !== "string" ||
    typeof e.workspaceId !== "string" ||
    !("data" in e)
  ) {
    throw new Error("not an event envelope { eventId: evt_<24hex>, eventType, timestamp, workspaceId, data }");
  }
}
