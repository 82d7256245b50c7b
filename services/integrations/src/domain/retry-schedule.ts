/**
 * When webhook attempts happen, from the docs' retry page: attempt 1 at once, then +1, +2, +4
 * and +8 seconds after each failure (5 attempts in about 15 s), then longer backoff over a
 * 24-hour window, after which the delivery is failed for good. Every figure is multiplied by
 * WEBHOOK_TIME_SCALE.
 */
const BACKOFF_SECONDS = [1, 2, 4, 8, 60, 5 * 60, 30 * 60, 60 * 60, 2 * 60 * 60, 4 * 60 * 60, 6 * 60 * 60];

/** How long after its first attempt a delivery is retried. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** How long a subscription may fail without a single success before it is deactivated. */
export const FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The pause after failed attempt `attempt` (1-based), unscaled; the last step repeats. */
export function backoffMs(attempt: number): number {
  return BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length) - 1]! * 1000;
}

/**
 * When attempt `attempt + 1` is due after attempt `attempt` failed at `failedAt`, for a delivery
 * whose first attempt started at `firstAttemptAt`; null once the retry window is over. The last
 * retry is moved to the end of the window, so a delivery that never succeeds has been failing for
 * the whole window when it gives up (which deactivates its subscription).
 */
export function nextAttemptAt(attempt: number, failedAt: Date, firstAttemptAt: Date, timeScale: number): Date | null {
  const end = firstAttemptAt.getTime() + RETRY_WINDOW_MS * timeScale;
  if (failedAt.getTime() >= end) return null;
  return new Date(Math.min(failedAt.getTime() + backoffMs(attempt) * timeScale, end));
}
