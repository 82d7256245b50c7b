import type { Logger } from "@velaflows/kit";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection";
import type { StoreErrorListener } from "../redis/store-error-reporter";
import type { IdempotencyStore } from "./idempotency-store";
import { createMemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from "./memory-idempotency-store";
import { createRedisIdempotencyStore } from "./redis-idempotency-store";

/** Options of {@link createIdempotencyStore}. */
export interface IdempotencyStoreOptions {
  /** A Redis connection shared with other stores; the store uses it but does not close it. */
  redis?: RedisConnection;
  /** Or a Redis URL: the store opens its own connection and closes it on `close()`. */
  redisUrl?: string;
  /** For the memory store (used when there is no Redis). */
  memory?: MemoryIdempotencyStoreOptions;
  /** Told about every failed Redis call (count it in a metric). */
  onError?: StoreErrorListener;
  logger?: Logger;
}

/**
 * The gateway's idempotency store: on Redis when a connection or URL is given (a retry may land on
 * any replica), in memory otherwise (one gateway). There is no memory fallback: a replica that
 * cannot reach Redis cannot know what the others ran, so `claim` fails closed (503).
 */
export function createIdempotencyStore(options: IdempotencyStoreOptions = {}): IdempotencyStore {
  const owned = options.redis === undefined && options.redisUrl !== undefined ? createRedisConnection({ url: options.redisUrl, logger: options.logger }) : undefined;
  const connection = options.redis ?? owned;
  if (connection === undefined) return createMemoryIdempotencyStore(options.memory);
  const store = createRedisIdempotencyStore({ connection, onError: options.onError, logger: options.logger });
  if (owned === undefined) return store;
  return {
    claim: (key, fingerprint, ttlMs) => store.claim(key, fingerprint, ttlMs),
    complete: (key, fingerprint, response, ttlMs) => store.complete(key, fingerprint, response, ttlMs),
    release: (key) => store.release(key),
    async close() {
      await store.close();
      await owned.close();
    },
  };
}
