import type { RunStats } from "./latency";
import type { ListRequest, ListTags, Workload } from "./list-tags";
import { runInterleavedRounds, statsRatio, type StatsRatio } from "./rounds";

/** The two ways of fetching a page that are compared. */
export type PathName = "gRPC" | "plain pg";

/** One path on one workload: every round, and their medians. */
export interface PathResult {
  path: PathName;
  rounds: RunStats[];
  median: RunStats;
}

/** gRPC divided by plain pg, each figure a median over rounds: throughput below 1 and latencies above 1 are the service's cost. */
export type Ratio = StatsRatio;

/** Both paths on one workload. */
export interface WorkloadResult {
  workload: string;
  description: string;
  grpc: PathResult;
  pg: PathResult;
  ratio: Ratio;
}

/** What {@link runListBench} needs. */
export interface ListBenchOptions {
  workloads: readonly Workload[];
  paths: Record<PathName, ListTags>;
  requests: number;
  warmup: number;
  concurrency: number;
  rounds: number;
  /** Told after each measured run, for progress output. */
  onRun?: (round: number, workload: string, path: PathName, stats: RunStats) => void;
}

/**
 * Runs every workload on both paths, side by side ({@link runInterleavedRounds}): a warm-up of
 * each first (JIT, pools, caches), then `rounds` rounds in which each path sends the same requests
 * (the workload's share of `requests`), the order of the two paths alternating from round to round
 * so neither always runs on the warmer (or the more disturbed) machine. Each round draws a
 * different slice of the workload's request sequence.
 */
export async function runListBench(options: ListBenchOptions): Promise<WorkloadResult[]> {
  const share = (workload: Workload, requests: number) => Math.max(1, Math.round(requests * workload.requestShare));
  const results = await runInterleavedRounds({
    workloads: options.workloads.map((workload) => ({
      name: workload.name,
      requests: share(workload, options.requests),
      warmup: options.warmup > 0 ? share(workload, options.warmup) : 0,
      workload,
    })),
    variants: ["gRPC", "plain pg"] as const,
    send: (path, { workload }, i) => options.paths[path](workload.request(i)),
    concurrency: options.concurrency,
    rounds: options.rounds,
    onRun: (round, { name }, path, stats) => options.onRun?.(round, name, path, stats),
  });
  return results.map(({ workload: { workload }, variants }) => {
    const grpc: PathResult = { path: "gRPC", rounds: variants["gRPC"].rounds, median: variants["gRPC"].median };
    const pg: PathResult = { path: "plain pg", rounds: variants["plain pg"].rounds, median: variants["plain pg"].median };
    return { workload: workload.name, description: workload.description, grpc, pg, ratio: statsRatio(grpc.median, pg.median) };
  });
}

/** One page fetched both ways for the correctness check. */
export interface PageCheck extends ListRequest {
  ids: number;
  total: number;
}

/**
 * Fetches each request both ways and throws unless the ids (in order) and totals agree, so the
 * baseline is known to return the very page the service returns before anything is timed.
 */
export async function verifySamePages(paths: Record<PathName, ListTags>, requests: readonly ListRequest[]): Promise<PageCheck[]> {
  const checks: PageCheck[] = [];
  for (const request of requests) {
    const [viaGrpc, viaPg] = await Promise.all([paths["gRPC"](request), paths["plain pg"](request)]);
    if (viaGrpc.ids.join() !== viaPg.ids.join() || viaGrpc.total !== viaPg.total) {
      throw new Error(
        `gRPC and plain pg disagree on ${JSON.stringify(request)}: gRPC ${viaGrpc.ids.length} ids, total ${viaGrpc.total}; pg ${viaPg.ids.length} ids, total ${viaPg.total}`,
      );
    }
    if (request.page === 1 && viaGrpc.ids.length === 0) throw new Error(`no tags on the first page of ${JSON.stringify(request)}: seeding failed`);
    checks.push({ ...request, ids: viaGrpc.ids.length, total: viaGrpc.total });
  }
  return checks;
}
