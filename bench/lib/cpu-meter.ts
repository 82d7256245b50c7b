import { median } from "./latency";
import type { BenchProcess } from "./bench-process";

/** CPU time per request of one measured run, by process, in microseconds. */
export interface CpuPerRequest {
  /** The variant's HTTP edge: the gateway's process for (b), express's for (c); absent for (a). */
  edge?: number;
  /** The Tags service's process. */
  tags: number;
  /** This process: the load client, (a)'s gRPC client, and the embedded PGlite when no DATABASE_URL. */
  client: number;
}

/** One variant on one endpoint: every run's reading and the medians. */
export interface CpuResult<V extends string = string, E extends string = string> {
  endpoint: E;
  variant: V;
  rounds: CpuPerRequest[];
  median: CpuPerRequest;
}

/** Reads every process's CPU time around each run. */
export interface CpuMeter<V extends string, E extends string> {
  begin(variant: V): Promise<void>;
  /** Ends the run begun last and returns its CPU per request. */
  end(endpoint: E, variant: V, requests: number): Promise<CpuPerRequest>;
  results(): CpuResult<V, E>[];
}

interface Snapshot {
  edge?: number;
  tags: number;
  client: number;
}

/**
 * CPU time is the figure the machine's noise disturbs least: a run on a busy machine takes longer,
 * but each request still costs each process about the same CPU. So the edge's own cost per request
 * (gateway vs express) shows apart from the Tags service's and the client's, which the variants share.
 */
export function createCpuMeter<V extends string, E extends string>(processes: {
  tags: BenchProcess<unknown>;
  edgeOf: (variant: V) => BenchProcess<unknown> | undefined;
}): CpuMeter<V, E> {
  let before: Snapshot | undefined;
  const runs = new Map<string, CpuResult<V, E>>();
  const snapshot = async (variant: V): Promise<Snapshot> => {
    const edge = processes.edgeOf(variant);
    const [tags, edgeMicros] = await Promise.all([processes.tags.cpuMicros(), edge?.cpuMicros()]);
    const { user, system } = process.cpuUsage();
    return { tags, edge: edgeMicros, client: user + system };
  };
  return {
    async begin(variant) {
      before = await snapshot(variant);
    },
    async end(endpoint, variant, requests) {
      if (!before) throw new Error("end() without begin()");
      const after = await snapshot(variant);
      const perRequest = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : (a - b) / requests);
      const reading: CpuPerRequest = {
        edge: perRequest(after.edge, before.edge),
        tags: perRequest(after.tags, before.tags)!,
        client: perRequest(after.client, before.client)!,
      };
      before = undefined;
      const key = `${endpoint}\u0000${variant}`;
      const result = runs.get(key) ?? { endpoint, variant, rounds: [], median: reading };
      result.rounds.push(reading);
      const edges = result.rounds.flatMap((r) => (r.edge === undefined ? [] : [r.edge]));
      result.median = {
        edge: edges.length > 0 ? median(edges) : undefined,
        tags: median(result.rounds.map((r) => r.tags)),
        client: median(result.rounds.map((r) => r.client)),
      };
      runs.set(key, result);
      return reading;
    },
    results: () => [...runs.values()],
  };
}

/** "edge 412 · tags 380 · client 150" */
export function formatCpu(cpu: CpuPerRequest): string {
  return [...(cpu.edge === undefined ? [] : [`edge ${Math.round(cpu.edge)}`]), `tags ${Math.round(cpu.tags)}`, `client ${Math.round(cpu.client)}`].join(" · ");
}
