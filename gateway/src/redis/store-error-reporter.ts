import type { Logger } from "@velaflows/kit";

/**
 * Called once for every failed store operation, e.g. to count it in a Prometheus counter labelled by
 * `operation` ("rate_limit.hit", "idempotency.claim", ...).
 */
export type StoreErrorListener = (error: Error, operation: string) => void;

/** Options of {@link createStoreErrorReporter}. */
export interface StoreErrorReporterOptions {
  /** Written as `component` on each log line, e.g. "rate-limit". */
  component: string;
  logger?: Logger;
  onError?: StoreErrorListener;
  /** At most one log line per this many ms (30 000 by default); the rest are counted. */
  logIntervalMs?: number;
  /** The clock, in epoch ms; `Date.now` by default. */
  now?: () => number;
}

/**
 * Reports store failures: every one reaches `onError` (for metrics), but the log gets the first
 * one and then at most one line per interval, carrying how many were suppressed since the last
 * line. While Redis is down every request fails the same way; one line per request would flood
 * the logs exactly when they are needed.
 */
export function createStoreErrorReporter(options: StoreErrorReporterOptions): (error: unknown, operation: string) => void {
  const interval = options.logIntervalMs ?? 30_000;
  const now = options.now ?? Date.now;
  let lastLogAt = -Infinity;
  let suppressed = 0;
  return (error, operation) => {
    const err = error instanceof Error ? error : new Error(String(error));
    try {
      options.onError?.(err, operation);
    } catch {
      // A broken metrics callback must not turn a tolerated store failure into a failed request.
    }
    const at = now();
    if (at - lastLogAt < interval) {
      suppressed++;
      return;
    }
    options.logger?.warn({ component: options.component, operation, err, suppressed }, `${options.component} store error: ${err.message}`);
    lastLogAt = at;
    suppressed = 0;
  };
}
