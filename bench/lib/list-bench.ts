import { medianStats, type RunStats } from "./latency";
import type { ListRequest, ListTags, Workload } from "./list-tags";
import { runClosedLoop } from "./load";

/** The two ways of fetching a page that are compared. */
export type PathName = "gRPC" | "plain pg";

/** One path on one workload: every round, and their medians. */
export interface PathResult {
  path: PathName;
  rounds: RunStats[];
  median: RunStats;
}

/** gRPC divided by plain pg, each figure a median over rounds: throughput below 1 and latencies above 1 are the service's cost. */
export interface Ratio {
  throughput: number;
  p50: number;
  p99: number;
}

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
 * Runs every workload on both paths, side by side: a warm-up of each first (JIT, pools, caches),
 * then `rounds` rounds in which each path sends the same requests (the workload's share of
 * `requests`), the order of the
 * two paths alternating from round to round so neither always runs on the warmer (or the more
 * disturbed) machine. Each round draws a different slice of the workload's request sequence.
 */
export async function runListBench(options: ListBenchOptions): Promise<WorkloadResult[]> {
  const share = (workload: Workload, requests: number) => Math.max(1, Math.round(requests * workload.requestShare));
  const run = (workload: Workload, path: PathName, first: number, count: number) =>
    runClosedLoop(count, options.concurrency, (i) => options.paths[path](workload.request(first + i)));

  if (options.warmup > 0) {
    for (const workload of options.workloads) {
      for (const path of ["gRPC", "plain pg"] as const) await run(workload, path, 1_000_000_000, share(workload, options.warmup));
    }
  }
  const rounds = new Map<string, Record<PathName, RunStats[]>>(options.workloads.map((w) => [w.name, { gRPC: [], "plain pg": [] }]));
  for (let round = 0; round < options.rounds; round++) {
    const order: PathName[] = round % 2 === 0 ? ["gRPC", "plain pg"] : ["plain pg", "gRPC"];
    for (const workload of options.workloads) {
      for (const path of order) {
        const count = share(workload, options.requests);
        const stats = await run(workload, path, round * count, count);
        rounds.get(workload.name)![path].push(stats);
        options.onRun?.(round + 1, workload.name, path, stats);
      }
    }
  }
  return options.workloads.map((workload) => {
    const of = (path: PathName): PathResult => {
      const list = rounds.get(workload.name)![path];
      return { path, rounds: list, median: medianStats(list) };
    };
    const grpc = of("gRPC");
    const pg = of("plain pg");
    return {
      workload: workload.name,
      description: workload.description,
      grpc,
      pg,
      ratio: {
        throughput: grpc.median.throughput / pg.median.throughput,
        p50: grpc.median.p50Ms / pg.median.p50Ms,
        p99: grpc.median.p99Ms / pg.median.p99Ms,
      },
    };
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
