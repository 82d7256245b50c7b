import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { BenchConfig } from "./config";
import { median } from "./latency";
import type { PageCheck, WorkloadResult } from "./list-bench";
import type { StartupRun } from "./startup";

/** The machine a run was measured on: ratios are comparable only within one run, figures only on one machine. */
export interface MachineFacts {
  node: string;
  platform: string;
  arch: string;
  /** CPUs this process may use. */
  cpus: number;
  cpuModel: string;
  memoryMiB: number;
  /** 1-minute load average when the run began: a busy shared machine shows here. */
  loadAverage1m: number;
}

/** Reads {@link MachineFacts} now. */
export function machineFacts(): MachineFacts {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAverage1m: loadavg()[0]!,
  };
}

/** Medians of each {@link StartupRun} figure for one kind of start. */
export interface StartupMedian {
  kind: StartupRun["kind"];
  runs: number;
  readyMs: number;
  launcherReadyMs?: number;
  launcherRssMiB?: number;
  peakRssMiB?: number;
  treePeakRssMiB?: number;
  stopMs: number;
}

/** Everything one run measured; written as JSON and rendered as tables. */
export interface BenchReport {
  startedAt: string;
  durationS: number;
  machine: MachineFacts;
  database: { description: string; serverVersion: string };
  config: Omit<BenchConfig, "databaseUrl">;
  seed: { tags: number; workspaceId: string; ms: number };
  checkedPages: PageCheck[];
  listTags: WorkloadResult[];
  startup?: { runs: StartupRun[]; median: StartupMedian[] };
}

/** Per kind (cold, warm), the median of every figure over its runs. */
export function startupMedians(runs: readonly StartupRun[]): StartupMedian[] {
  return (["cold", "warm"] as const)
    .map((kind) => runs.filter((run) => run.kind === kind))
    .filter((list) => list.length > 0)
    .map((list) => {
      const of = (pick: (run: StartupRun) => number | undefined) => {
        const values = list.map(pick).filter((v): v is number => v !== undefined);
        return values.length > 0 ? median(values) : undefined;
      };
      return {
        kind: list[0]!.kind,
        runs: list.length,
        readyMs: of((r) => r.readyMs)!,
        launcherReadyMs: of((r) => r.launcherReadyMs),
        launcherRssMiB: of((r) => r.launcherRssMiB),
        peakRssMiB: of((r) => r.peakRssMiB),
        treePeakRssMiB: of((r) => r.treePeakRssMiB),
        stopMs: of((r) => r.stopMs)!,
      };
    });
}

/** The human-readable report: run facts, the ListTags table with ratios, the start-up table. */
export function renderReport(report: BenchReport): string {
  const { machine, config } = report;
  const lines = [
    "",
    "VelaFlows bench: Tags ListTags over gRPC vs the same page with plain pg; npm start",
    `  ${machine.node} · ${machine.platform} ${machine.arch} · ${machine.cpus} CPUs (${machine.cpuModel}) · ${fmtInt(machine.memoryMiB)} MiB RAM · load ${machine.loadAverage1m.toFixed(2)} at start`,
    `  database: ${report.database.description}, server ${report.database.serverVersion}`,
    `  ${fmtInt(report.seed.tags)} tags in one workspace (seeded with SQL in ${fmtInt(report.seed.ms)} ms)`,
    `  ${config.rounds} rounds; per path and round ${report.listTags.map((r) => `${r.workload} ${fmtInt(r.grpc.median.requests)}`).join(", ")} requests; concurrency ${config.concurrency}; pool ${config.poolSize} connections per path`,
    "",
    `ListTags: medians over ${config.rounds} rounds (req/s range over rounds in brackets)`,
  ];
  const rows: string[][] = [];
  for (const result of report.listTags) {
    for (const path of [result.grpc, result.pg]) {
      const throughputs = path.rounds.map((r) => r.throughput);
      rows.push([
        result.workload,
        path.path,
        fmtInt(path.median.throughput),
        `(${fmtInt(Math.min(...throughputs))}-${fmtInt(Math.max(...throughputs))})`,
        fmtMs(path.median.p50Ms),
        fmtMs(path.median.p99Ms),
      ]);
    }
    rows.push([result.workload, "gRPC / pg", fmtRatio(result.ratio.throughput), "", fmtRatio(result.ratio.p50), fmtRatio(result.ratio.p99)]);
  }
  lines.push(table(["workload", "path", "req/s", "", "p50 ms", "p99 ms"], rows, "llrlrr"));
  for (const result of report.listTags) lines.push(`  ${result.workload}: ${result.description}`);
  lines.push(
    `  checked identical both ways before timing: ${report.checkedPages.map((c) => `${c.search ? `"${c.search}" ` : ""}page ${c.page}`).join(", ")}`,
  );

  if (report.startup) {
    lines.push(
      "",
      `npm start on embedded PGlite: medians of ${report.startup.median[0]?.runs ?? 0} (cold = fresh data folder: initdb + migrations; warm = same folder again)`,
      table(
        ["start", "ready ms", "launcher ms", "peak RSS MiB", "RSS at ready MiB", "tree peak MiB", "stop ms"],
        report.startup.median.map((m) => [
          m.kind,
          fmtInt(m.readyMs),
          fmtOpt(m.launcherReadyMs),
          fmtOpt(m.peakRssMiB),
          fmtOpt(m.launcherRssMiB),
          fmtOpt(m.treePeakRssMiB),
          fmtInt(m.stopMs),
        ]),
        "lrrrrrr",
      ),
      "  ready = spawn to the ready line (npm, tsx, module loading, launcher); launcher = the launcher's own figure (after",
      "  its imports); peak RSS = VmHWM of the node process running start.ts; RSS at ready = what the launcher prints;",
      "  tree peak = largest sampled sum of VmRSS over npm, sh, tsx, node and esbuild; stop = SIGTERM to all exited",
    );
  }
  lines.push("");
  return lines.join("\n");
}

/** Writes a report as `<dir>/<name>-<timestamp>.json` (`name` "tags-list", "gateway", …); returns the path. */
export async function writeJsonReport(dir: string, name: string, report: { startedAt: string }): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}-${report.startedAt.replace(/[:.]/g, "-")}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** A plain-text table: columns padded to their widest cell, `align` one "l" or "r" per column. */
export function table(headers: string[], rows: string[][], align: string): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    "  " +
    cells
      .map((cell, c) => (align[c] === "r" ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** 1,234 */
export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Milliseconds with 3 significant digits or so: 1.23, 12.3, 123, 1,234. */
export function fmtMs(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : fmtInt(value);
}

/** 1.23x */
export function fmtRatio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** 1,234, or "n/a" when unknown. */
export function fmtOpt(value: number | undefined): string {
  return value === undefined ? "n/a" : fmtInt(value);
}
