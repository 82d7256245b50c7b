/**
 * The end of the fixed window that contains `now`, in epoch ms. Windows are aligned to multiples
 * of their length (a 15 s window runs from :00 to :15, :15 to :30, ...), so every replica and every
 * key agrees on where a window starts, and `X-RateLimit-Reset` is the same for all of a window's
 * requests.
 */
export function fixedWindowEnd(now: number, windowMs: number): number {
  return now - (now % windowMs) + windowMs;
}

/** Throws unless `limit` and `windowMs` are positive whole numbers (a misconfiguration, not a request error). */
export function assertWindowArguments(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`Rate limit must be a positive integer, got ${limit}`);
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError(`Rate-limit window must be a positive number of ms, got ${windowMs}`);
}
