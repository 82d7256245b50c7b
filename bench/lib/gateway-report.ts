import type { GatewayBenchConfig } from "./config";
import type { CpuResult } from "./cpu-meter";
import type { EndpointName, JsonDifference, VariantName } from "./gateway-variants";
import { VARIANT_LABELS } from "./gateway-variants";
import type { RunStats } from "./latency";
import type { OpenLoopStats } from "./load";
import { fmtInt, fmtMs, fmtRatio, table, type MachineFacts } from "./report";
import type { StatsRatio, VariantRounds } from "./rounds";

/** The issue's targets. */
export const GATEWAY_TARGETS = Object.freeze({
  /** (b) req/s at saturation at least this times (c)'s. */
  gatewayOverExpress: 1.2,
  /** (b) req/s at saturation at least this times (a)'s. */
  gatewayOverGrpc: 0.6,
  /** At the fixed rate, (b)'s p50 at most this many ms above (a)'s. */
  p50DeltaMs: 1,
});

/** One endpoint at saturation: every variant, and the ratios the targets are about. */
export interface SaturationResult {
  endpoint: EndpointName;
  request: string;
  variants: Record<VariantName, VariantRounds<VariantName>>;
  /** (b) over (c) and (b) over (a), each figure a median over rounds. */
  gatewayOverExpress: StatsRatio;
  gatewayOverGrpc: StatsRatio;
  meets: { gatewayOverExpress: boolean; gatewayOverGrpc: boolean };
}

/** One variant at the fixed rate: every run and the medians of their figures. */
export interface FixedRateVariant {
  variant: VariantName;
  rounds: OpenLoopStats[];
  median: RunStats;
  /** Achieved at least 98 % of the offered rate; below, the rate is over this variant's capacity here and its latencies are mostly queueing. */
  keptRate: boolean;
}

/** One endpoint at the fixed rate: (a) and (b). */
export interface FixedRateResult {
  /** Offered requests per second. */
  rate: number;
  endpoint: EndpointName;
  request: string;
  variants: Partial<Record<VariantName, FixedRateVariant>>;
  /** (b)'s median p50 minus (a)'s, in ms. */
  p50DeltaMs: number;
  /** Both kept the offered rate and the p50 difference is within the target. */
  meets: boolean;
}

/** Everything one run of `npm run bench:gateway` measured; written as JSON and rendered as tables. */
export interface GatewayBenchReport {
  startedAt: string;
  durationS: number;
  machine: MachineFacts;
  /** The commit measured, and how many files under gateway/ (and services/tags, packages/) differed from it. */
  source?: { commit: string; uncommittedGatewayFiles: number; uncommittedServiceFiles: number };
  /** 1-minute load average when the run ended. */
  loadAverage1mAtEnd: number;
  database: { kind: "PGlite" | "PostgreSQL"; description: string; serverVersion: string };
  config: Omit<GatewayBenchConfig, "databaseUrl">;
  seed: { tags: number; workspaceId: string; ms: number };
  /** What was checked identical on every variant before timing. */
  check: { list: { ids: number }; get: { ids: number }; jsonDifferences: (JsonDifference & { endpoint: EndpointName })[] };
  saturation: SaturationResult[];
  /** CPU time per request of each process during the saturation rounds. */
  cpu: CpuResult<VariantName, EndpointName>[];
  fixedRate: FixedRateResult[];
  targets: typeof GATEWAY_TARGETS;
}

/** The human-readable report: run facts, the saturation table with ratios, the fixed-rate table, the JSON differences. */
export function renderGatewayReport(report: GatewayBenchReport): string {
  const { machine, config } = report;
  const lines = [
    "",
    "VelaFlows bench: REST through the gateway vs direct gRPC vs a hand-written express route (Tags service)",
    `  ${machine.node} · ${machine.platform} ${machine.arch} · ${machine.cpus} CPUs (${machine.cpuModel}) · ${fmtInt(machine.memoryMiB)} MiB RAM · load ${machine.loadAverage1m.toFixed(2)} at start, ${report.loadAverage1mAtEnd.toFixed(2)} at end`,
    `  database: ${report.database.kind}: ${report.database.description}, server ${report.database.serverVersion}; service pool ${config.poolSize} connections`,
    `  ${fmtInt(report.seed.tags)} tags in one workspace (seeded with SQL in ${fmtInt(report.seed.ms)} ms); the Tags service, the gateway and express each run in a process of their own; the load client and (a)'s gRPC client in the benchmark's`,
    ...(report.source
      ? [`  code: commit ${report.source.commit}; uncommitted files: ${report.source.uncommittedGatewayFiles} under gateway/, ${report.source.uncommittedServiceFiles} under services/tags and packages/`]
      : []),
    "",
    `Saturation: closed loop, concurrency ${config.concurrency} on every variant, ${fmtInt(config.requests)} requests per variant and round after ${fmtInt(config.warmup)} warm-up; ${rounds(config.rounds)} (req/s range in brackets)`,
  ];
  const rows: string[][] = [];
  for (const result of report.saturation) {
    for (const variant of ["gRPC", "gateway", "express"] as const) {
      const { median, rounds } = result.variants[variant];
      const throughputs = rounds.map((r) => r.throughput);
      rows.push([
        result.request,
        VARIANT_LABELS[variant],
        fmtInt(median.throughput),
        `(${fmtInt(Math.min(...throughputs))}-${fmtInt(Math.max(...throughputs))})`,
        fmtMs(median.p50Ms),
        fmtMs(median.p99Ms),
        "",
      ]);
    }
    const verdict = (ok: boolean, target: number) => `${ok ? "met" : "NOT met"} (>= ${target.toFixed(2)}x)`;
    rows.push(["", "b / c", fmtRatio(result.gatewayOverExpress.throughput), "", fmtRatio(result.gatewayOverExpress.p50), fmtRatio(result.gatewayOverExpress.p99), verdict(result.meets.gatewayOverExpress, GATEWAY_TARGETS.gatewayOverExpress)]);
    rows.push(["", "b / a", fmtRatio(result.gatewayOverGrpc.throughput), "", fmtRatio(result.gatewayOverGrpc.p50), fmtRatio(result.gatewayOverGrpc.p99), verdict(result.meets.gatewayOverGrpc, GATEWAY_TARGETS.gatewayOverGrpc)]);
  }
  lines.push(table(["endpoint", "variant", "req/s", "", "p50 ms", "p99 ms", "target (req/s)"], rows, "llrlrrl"));
  lines.push(
    "  b / c, b / a: ratio of the medians; req/s above 1x and latencies below 1x favour the gateway",
    "  (b) runs every step: JWT verification, membership and permission, both rate limits, validation, metrics;",
    "  (c) none of them: no authentication, authorization, rate limit or validation",
  );
  lines.push(...renderCpu(report.cpu));

  const stoppedNotes: string[] = [];
  for (const rate of [...new Set(report.fixedRate.map((r) => r.rate))]) {
    lines.push(
      "",
      `Fixed rate: open loop at ${fmtInt(rate)} req/s for ${config.rateSeconds} s per run, latency from each request's scheduled send time; ${rounds(config.rateRounds)}`,
    );
    const rateRows: string[][] = [];
    for (const result of report.fixedRate.filter((r) => r.rate === rate)) {
      for (const variant of ["gRPC", "gateway"] as const) {
        const measured = result.variants[variant];
        if (!measured) continue;
        const lag = Math.max(...measured.rounds.map((r) => r.maxSendLagMs));
        const stopped = measured.rounds.filter((r) => r.stoppedEarly);
        if (stopped.length > 0) {
          stoppedNotes.push(
            `  ${result.request} ${VARIANT_LABELS[variant]}: ${stopped.length} of ${measured.rounds.length} run(s) stopped with the backlog full, after ${stopped.map((r) => `${fmtInt(r.sent)}`).join(", ")} of ${fmtInt(stopped[0]!.scheduled)} requests`,
          );
        }
        const inFlight = Math.max(...measured.rounds.map((r) => r.maxInFlight));
        rateRows.push([
          result.request,
          VARIANT_LABELS[variant],
          `${fmtInt(measured.median.throughput)}${measured.keptRate ? "" : " (over capacity)"}`,
          fmtMs(measured.median.p50Ms),
          fmtMs(measured.median.p99Ms),
          fmtMs(measured.median.maxMs),
          fmtMs(lag),
          fmtInt(inFlight),
          "",
        ]);
      }
      const delta = `${result.p50DeltaMs >= 0 ? "+" : ""}${result.p50DeltaMs.toFixed(2)}`;
      const overCapacity = Object.values(result.variants).some((v) => !v.keptRate);
      const verdict = `${result.meets ? "met" : "NOT met"} (p50 <= +${GATEWAY_TARGETS.p50DeltaMs} ms${overCapacity ? "; rate not kept" : ""})`;
      rateRows.push(["", "b - a", "", delta, "", "", "", "", verdict]);
    }
    lines.push(table(["endpoint", "variant", "achieved/s", "p50 ms", "p99 ms", "max ms", "send lag", "in flight", "target"], rateRows, "llrrrrrrl"));
  }
  if (report.fixedRate.length > 0) {
    lines.push(
      "  send lag = worst delay of a send behind its slot (timer granularity, busy event loop); in flight = most requests outstanding;",
      "  over capacity = achieved under 98 % of the offered rate, or the run stopped when one second of requests was",
      "  outstanding: the queue grew for the whole run, so latencies are mostly waiting (and, for a stopped run, a lower bound)",
      ...stoppedNotes,
    );
  }

  lines.push(
    "",
    `Checked before timing: the same ${report.check.list.ids} ids in the same order from the list on (a), (b) and (c); the same tag from get for ${report.check.get.ids} ids`,
  );
  if (report.check.jsonDifferences.length === 0) {
    lines.push("  JSON of (b) and (c): identical on the first listed tag, the pagination and one get");
  } else {
    lines.push("  JSON differences of (b) gateway vs (c) express, on the first listed tag, the pagination and one get:");
    for (const d of report.check.jsonDifferences) lines.push(`    ${d.endpoint} data.${d.path}: ${d.left ?? "(absent)"} vs ${d.right ?? "(absent)"}`);
  }
  lines.push("");
  return lines.join("\n");
}

// CPU per request by process: the edge's own cost, apart from what every variant shares.
function renderCpu(results: readonly CpuResult<VariantName, EndpointName>[]): string[] {
  if (results.length === 0) return [];
  const rows: string[][] = [];
  const us = (value: number | undefined) => (value === undefined ? "-" : fmtInt(value));
  for (const endpoint of [...new Set(results.map((r) => r.endpoint))]) {
    const of = (variant: VariantName) => results.find((r) => r.endpoint === endpoint && r.variant === variant);
    for (const variant of ["gRPC", "gateway", "express"] as const) {
      const result = of(variant);
      if (!result) continue;
      const { edge, tags, client } = result.median;
      rows.push([endpoint, VARIANT_LABELS[variant], us(edge), us(tags), us(client), us((edge ?? 0) + tags + client)]);
    }
    const gatewayEdge = of("gateway")?.median.edge;
    const expressEdge = of("express")?.median.edge;
    if (gatewayEdge !== undefined && expressEdge !== undefined) rows.push(["", "b / c edge", fmtRatio(gatewayEdge / expressEdge), "", "", ""]);
  }
  return [
    "",
    "CPU time per request during the saturation rounds, by process (µs, medians of the rounds): what each request costs the machine",
    table(["endpoint", "variant", "edge", "Tags service", "client", "total"], rows, "llrrrr"),
    "  edge = the process serving HTTP: the gateway for (b), express for (c); client = the benchmark process (load client, (a)'s",
    "  gRPC client, and the embedded PGlite when DATABASE_URL is unset); below 1x, the gateway's whole pipeline costs less than express",
  ];
}

function rounds(count: number): string {
  return count === 1 ? "one round" : `medians of ${count} rounds`;
}
