import type { Logger } from "@velaflows/kit";
import type { RedisConnection } from "../redis/redis-connection";
import { defineRedisScript } from "../redis/redis-script";
import { createStoreErrorReporter, type StoreErrorListener } from "../redis/store-error-reporter";
import { assertWindowArguments, fixedWindowEnd } from "./fixed-window";
import type { RateLimitDecision, RateLimitStore } from "./rate-limit-store";

/** Every rate-limit key in Redis starts with this. */
export const RATE_LIMIT_KEY_PREFIX = "velaflows:rl:";

/**
 * One hit, atomically: INCR the counter, and on the window's first hit (or when PTTL finds it
 * without an expiry) PEXPIRE it at the end of the aligned window. Time comes from Redis (TIME), so
 * replicas with skewed clocks still agree on the windows. Returns the count and the window's end
 * in epoch ms, computed from TIME rather than PTTL so every hit of a window reports the same end.
 * (Writing after TIME needs script effects replication: the default since Redis 5.)
 *   KEYS[1]  the counter;  ARGV[1]  the window length in ms
 */
const HIT_SCRIPT = defineRedisScript(`
local window = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local reset = now - (now % window) + window
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], reset - now)
end
return { count, reset }
`);

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** The connection to use; the store does not close it. */
  connection: RedisConnection;
  /**
   * Where a hit goes when Redis fails (unreachable, timed out, erroring). Typically a memory store:
   * each replica then enforces the budget on its own until Redis is back. Without one, such a
   * request is simply allowed.
   */
  fallback?: RateLimitStore;
  /** Told about every failed hit (count it in a metric); operation "rate_limit.hit". */
  onError?: StoreErrorListener;
  /** Failed hits are logged here, at most one line per 30 s. */
  logger?: Logger;
  /** The clock used for the window of an allowed-on-error decision; `Date.now` by default. */
  now?: () => number;
}

/**
 * Counts requests in Redis so every gateway replica shares one budget per key: the same fixed,
 * aligned windows as the memory store, one Lua script (INCR, PEXPIRE on the first hit, PTTL) per
 * request, keys `velaflows:rl:<key>:<windowMs>` that expire with their window.
 *
 * It **fails open**: a rate limiter must not take the API down with it. When Redis cannot answer
 * (down, unreachable, slower than the connection's command timeout) the error goes to `onError`
 * and, throttled, to the log, and the request is counted by `fallback` instead (a per-replica
 * budget), or allowed when there is none. Nothing is thrown from `hit` for a Redis failure.
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const { client } = options.connection;
  const now = options.now ?? Date.now;
  const report = createStoreErrorReporter({ component: "rate-limit", logger: options.logger, onError: options.onError });

  return {
    async hit(key, limit, windowMs): Promise<RateLimitDecision> {
      assertWindowArguments(limit, windowMs);
      let count: number;
      let resetAt: number;
      try {
        [count, resetAt] = parseHitReply(await HIT_SCRIPT.run(client, [`${RATE_LIMIT_KEY_PREFIX}${key}:${windowMs}`], [windowMs]));
      } catch (error) {
        report(error, "rate_limit.hit");
        if (options.fallback) return options.fallback.hit(key, limit, windowMs);
        return { allowed: true, limit, remaining: limit, resetAt: fixedWindowEnd(now(), windowMs) };
      }
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetAt };
    },
    async close() {
      await options.fallback?.close();
    },
  };
}

function parseHitReply(reply: unknown): [count: number, resetAt: number] {
  if (Array.isArray(reply) && reply.length === 2 && typeof reply[0] === "number" && typeof reply[1] === "number") {
    return [reply[0], reply[1]];
  }
  throw new Error(`Unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
}
