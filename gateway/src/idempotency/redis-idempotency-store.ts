import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError, type Logger } from "@velaflows/kit";
import type { RedisConnection } from "../redis/redis-connection";
import { defineRedisScript } from "../redis/redis-script";
import { createStoreErrorReporter, type StoreErrorListener } from "../redis/store-error-reporter";
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from "./idempotency-store";

/** Every idempotency key in Redis starts with this. */
export const IDEMPOTENCY_KEY_PREFIX = "velaflows:idem:";

// A key is a hash: f = fingerprint, s = "in_flight" | "completed", r = the response as JSON.

/**
 * SET NX PX, on a hash: claims the key when it is free, else returns what holds it.
 *   KEYS[1] the key; ARGV[1] fingerprint; ARGV[2] claim TTL in ms
 *   → nil when claimed, else { fingerprint, state, response JSON or false }
 */
const CLAIM_SCRIPT = defineRedisScript(`
local held = redis.call('HMGET', KEYS[1], 'f', 's', 'r')
if held[1] then return held end
redis.call('HSET', KEYS[1], 'f', ARGV[1], 's', 'in_flight')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false
`);

/**
 * Stores the response unless another fingerprint holds the key.
 *   KEYS[1] the key; ARGV[1] fingerprint; ARGV[2] response JSON; ARGV[3] TTL in ms → 1 stored, 0 not
 */
const COMPLETE_SCRIPT = defineRedisScript(`
local holder = redis.call('HGET', KEYS[1], 'f')
if holder and holder ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'f', ARGV[1], 's', 'completed', 'r', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

/** Deletes the key only while it is an in-flight claim.  KEYS[1] the key → 1 deleted, 0 not */
const RELEASE_SCRIPT = defineRedisScript(`
if redis.call('HGET', KEYS[1], 's') == 'in_flight' then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Options of {@link createRedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** The connection to use; the store does not close it. */
  connection: RedisConnection;
  /** Told about every failed Redis call (count it in a metric); operations "idempotency.claim" etc. */
  onError?: StoreErrorListener;
  /** Failed calls are logged here, at most one line per 30 s. */
  logger?: Logger;
}

/**
 * Idempotency keys in Redis, shared by every gateway replica: a retry that lands on another replica
 * still replays (or waits for) the first response. Each operation is one atomic Lua script; keys
 * are `velaflows:idem:<scope key>` and expire on their own.
 *
 * Unlike the rate limiter it **fails closed** on `claim`: a caller who sends an Idempotency-Key
 * asked for at-most-once execution, and running the request without the check could run it twice.
 * So a Redis failure in `claim` throws a ServiceError UNAVAILABLE (the gateway answers 503 and
 * the client retries later with the same key); requests without the header are not affected.
 * `complete` and `release` never throw: the response is already decided by then. Their failure is
 * reported, and the key stays in flight until its claim TTL ends, after which a retry runs again.
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const { client } = options.connection;
  const report = createStoreErrorReporter({ component: "idempotency", logger: options.logger, onError: options.onError });
  const redisKey = (key: string) => `${IDEMPOTENCY_KEY_PREFIX}${key}`;

  return {
    async claim(key, fingerprint, ttlMs): Promise<IdempotencyClaim> {
      let reply: unknown;
      try {
        reply = await CLAIM_SCRIPT.run(client, [redisKey(key)], [fingerprint, wholeMs(ttlMs)]);
      } catch (error) {
        report(error, "idempotency.claim");
        throw new ServiceError(GrpcStatus.UNAVAILABLE, "Idempotency keys are unavailable right now; retry the request later", {
          reason: "SERVICE_UNAVAILABLE",
          cause: error,
        });
      }
      if (reply === null) return { state: "claimed" };
      const [holder, state, response] = reply as [string, string, string | null];
      if (holder !== fingerprint) return { state: "mismatch" };
      if (state !== "completed" || response === null) return { state: "in_flight" };
      return { state: "completed", response: JSON.parse(response) as StoredResponse };
    },
    async complete(key, fingerprint, response, ttlMs) {
      try {
        await COMPLETE_SCRIPT.run(client, [redisKey(key)], [fingerprint, JSON.stringify(response), wholeMs(ttlMs)]);
      } catch (error) {
        report(error, "idempotency.complete");
      }
    },
    async release(key) {
      try {
        await RELEASE_SCRIPT.run(client, [redisKey(key)], []);
      } catch (error) {
        report(error, "idempotency.release");
      }
    },
    async close() {},
  };
}

/** PEXPIRE takes a positive whole number of ms. */
function wholeMs(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
