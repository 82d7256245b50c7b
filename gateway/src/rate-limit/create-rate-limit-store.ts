import type { Logger } from "@velaflows/kit";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection";
import type { StoreErrorListener } from "../redis/store-error-reporter";
import { createMemoryRateLimitStore, type MemoryRateLimitStoreOptions } from "./memory-rate-limit-store";
import { createRedisRateLimitStore } from "./redis-rate-limit-store";
import type { RateLimitStore } from "./rate-limit-store";

/** Options of {@link createRateLimitStore}. */
export interface RateLimitStoreOptions {
  /** A Redis connection shared with other stores; the store uses it but does not close it. */
  redis?: RedisConnection;
  /** Or a Redis URL: the store opens its own connection and closes it on `close()`. */
  redisUrl?: string;
  /** For the memory store, and for the per-replica fallback of the Redis store. */
  memory?: MemoryRateLimitStoreOptions;
  /** Told about every failed Redis call (count it in a metric). */
  onError?: StoreErrorListener;
  logger?: Logger;
}

/**
 * The gateway's rate-limit store: on Redis when a connection or URL is given (every replica shares
 * one budget per key), in memory otherwise (one gateway). The Redis store falls back to a memory
 * store while Redis fails, so the budget is then enforced per replica rather than not at all.
 */
export function createRateLimitStore(options: RateLimitStoreOptions = {}): RateLimitStore {
  const memory = createMemoryRateLimitStore(options.memory);
  const owned = options.redis === undefined && options.redisUrl !== undefined ? createRedisConnection({ url: options.redisUrl, logger: options.logger }) : undefined;
  const connection = options.redis ?? owned;
  if (connection === undefined) return memory;
  const store = createRedisRateLimitStore({ connection, fallback: memory, onError: options.onError, logger: options.logger });
  return {
    hit: (key, limit, windowMs) => store.hit(key, limit, windowMs),
    async close() {
      await store.close();
      await owned?.close();
    },
  };
}
