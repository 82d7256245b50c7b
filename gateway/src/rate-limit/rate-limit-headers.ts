import type { RateLimitDecision } from "./rate-limit-store";

/**
 * The headers every response carries (errors included), from the decision of the budget that
 * applied: `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`, the end of the
 * window in Unix seconds, rounded up so a client that waits until then is never early.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(decision.limit),
    "X-RateLimit-Remaining": String(decision.remaining),
    "X-RateLimit-Reset": String(Math.ceil(decision.resetAt / 1000)),
  };
}

/**
 * The `Retry-After` of a refused request: whole seconds until the window ends, rounded up, and at
 * least 1 (a 0 would invite an immediate retry that the same window refuses again).
 */
export function retryAfterSeconds(decision: RateLimitDecision, now: number): number {
  return Math.max(1, Math.ceil((decision.resetAt - now) / 1000));
}
