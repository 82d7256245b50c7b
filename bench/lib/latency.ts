/** Throughput and latency of one measured run of a fixed number of requests. */
export interface RunStats {
  requests: number;
  /** Wall time from the first request sent to the last response, in ms. */
  wallMs: number;
  /** Requests completed per second of wall time. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/**
 * The `p`-th percentile (0 < p <= 100) of ascending `sorted` values by the nearest-rank method:
 * always an observed value, so p99 of 2,000 samples is the 1,980th, not an interpolation.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error("percentile of no samples");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Summarises per-request latencies (ms, any order) and the run's wall time. */
export function summarize(latenciesMs: Float64Array, wallMs: number): RunStats {
  const sorted = Float64Array.from(latenciesMs).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    requests: sorted.length,
    wallMs,
    throughput: sorted.length / (wallMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sum / sorted.length,
    maxMs: sorted[sorted.length - 1]!,
  };
}

/** The median of `values` (mean of the middle two when even); rounds are summarised by it, not the mean, so one disturbed round does not move the figure. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The per-round medians of each {@link RunStats} figure. */
export function medianStats(rounds: readonly RunStats[]): RunStats {
  const of = (pick: (s: RunStats) => number) => median(rounds.map(pick));
  return {
    requests: of((s) => s.requests),
    wallMs: of((s) => s.wallMs),
    throughput: of((s) => s.throughput),
    p50Ms: of((s) => s.p50Ms),
    p99Ms: of((s) => s.p99Ms),
    meanMs: of((s) => s.meanMs),
    maxMs: of((s) => s.maxMs),
  };
}
