/** The outcome of counting one request against a budget. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The budget of the window. */
  limit: number;
  /** Requests left in the window after this one (0 when refused). */
  remaining: number;
  /** When the window ends, in epoch milliseconds. */
  resetAt: number;
}

/**
 * Counts requests per key in fixed windows. The memory store serves one gateway; the Redis store
 * makes every replica share one budget per key.
 */
export interface RateLimitStore {
  /** Counts one request for `key` against `limit` per `windowMs` and says whether it may proceed. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}
