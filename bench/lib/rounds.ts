import { medianStats, type RunStats } from "./latency";
import { runClosedLoop } from "./load";

/** A stream of requests measured on every variant: request `i` is the same on each, so they do identical work. */
export interface RoundsWorkload {
  name: string;
  /** Requests per variant per round. */
  requests: number;
  /** Unmeasured requests per variant before the first round (0 for none). */
  warmup: number;
}

/** One variant on one workload: every round, and their medians. */
export interface VariantRounds<V extends string> {
  variant: V;
  rounds: RunStats[];
  median: RunStats;
}

/** Every variant on one workload. */
export interface WorkloadRounds<V extends string, W extends RoundsWorkload> {
  workload: W;
  variants: Record<V, VariantRounds<V>>;
}

/** What {@link runInterleavedRounds} needs. */
export interface InterleavedRoundsOptions<V extends string, W extends RoundsWorkload> {
  workloads: readonly W[];
  /** The variants compared, in the order of the first round. */
  variants: readonly V[];
  /** Sends request `i` of `workload` through `variant`; a rejection fails the whole run. */
  send: (variant: V, workload: W, i: number) => Promise<unknown>;
  /** Requests in flight at once (closed loop), the same for every variant. */
  concurrency: number;
  rounds: number;
  /** Awaited just before each measured run (to read the servers' CPU time, say). */
  beforeRun?: (round: number, workload: W, variant: V) => Promise<void> | void;
  /** Awaited just after each measured run, for progress output and per-run readings. */
  onRun?: (round: number, workload: W, variant: V, stats: RunStats) => Promise<void> | void;
}

/** Request indices of the warm-up: far from those of the rounds, so the warm-up draws its own slice of the sequence. */
const WARMUP_FIRST_INDEX = 1_000_000_000;

/**
 * Runs every workload on every variant side by side, closed loop at one concurrency: a warm-up of
 * each first (JIT, pools, connections, caches), then `rounds` rounds in which each variant sends
 * the workload's `requests`. The order of the variants rotates from round to round (two variants
 * alternate; three take each position in turn), so none always runs on the warmer (or the more
 * disturbed) machine. Round `r` sends requests `r * requests` … `(r + 1) * requests - 1`.
 */
export async function runInterleavedRounds<V extends string, W extends RoundsWorkload>(
  options: InterleavedRoundsOptions<V, W>,
): Promise<WorkloadRounds<V, W>[]> {
  const { variants } = options;
  if (variants.length === 0) throw new Error("no variants to measure");
  const run = (workload: W, variant: V, first: number, count: number) =>
    runClosedLoop(count, options.concurrency, (i) => options.send(variant, workload, first + i));

  for (const workload of options.workloads) {
    if (workload.warmup > 0) for (const variant of variants) await run(workload, variant, WARMUP_FIRST_INDEX, workload.warmup);
  }
  const measured = new Map<string, Map<V, RunStats[]>>(options.workloads.map((w) => [w.name, new Map(variants.map((v) => [v, []]))]));
  for (let round = 0; round < options.rounds; round++) {
    const order = rotate(variants, round);
    for (const workload of options.workloads) {
      for (const variant of order) {
        await options.beforeRun?.(round + 1, workload, variant);
        const stats = await run(workload, variant, round * workload.requests, workload.requests);
        measured.get(workload.name)!.get(variant)!.push(stats);
        await options.onRun?.(round + 1, workload, variant, stats);
      }
    }
  }
  return options.workloads.map((workload) => {
    const results = {} as Record<V, VariantRounds<V>>;
    for (const variant of variants) {
      const rounds = measured.get(workload.name)!.get(variant)!;
      results[variant] = { variant, rounds, median: medianStats(rounds) };
    }
    return { workload, variants: results };
  });
}

/** `items` rotated left by `by` places: round `r`'s order of the variants. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = ((by % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** `a` over `b` for each figure of two medians: throughput above 1 and latencies below 1 favour `a`. */
export interface StatsRatio {
  throughput: number;
  p50: number;
  p99: number;
}

/** The ratio of each figure, `a` divided by `b`. */
export function statsRatio(a: RunStats, b: RunStats): StatsRatio {
  return { throughput: a.throughput / b.throughput, p50: a.p50Ms / b.p50Ms, p99: a.p99Ms / b.p99Ms };
}
