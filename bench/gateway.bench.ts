// `npm run bench:gateway`: GET /api/v1/tags?limit=20 and GET /api/v1/tags/{id} through (a) a direct
// gRPC call to the Tags service, (b) the gateway with its whole pipeline, (c) a hand-written express
// route calling the same RPC; at saturation and at a fixed rate, side by side in one run. See
// bench/README.md.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { loadavg } from "node:os";
import { Pool } from "pg";
import { createServiceClient } from "@velaflows/kit";
import { newWorkspaceId, workspaceMetadata } from "@velaflows/testing";
import { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { loadGatewayBenchConfig, type GatewayBenchConfig } from "./lib/config";
import { openDatabase } from "./lib/database";
import { createCpuMeter, formatCpu } from "./lib/cpu-meter";
import {
  GATEWAY_TARGETS,
  renderGatewayReport,
  type FixedRateResult,
  type FixedRateVariant,
  type GatewayBenchReport,
  type SaturationResult,
} from "./lib/gateway-report";
import {
  endpointWorkloads,
  grpcVariant,
  httpVariant,
  jsonDifferences,
  VARIANT_LABELS,
  VARIANTS,
  type Answer,
  type EndpointName,
  type EndpointWorkload,
  type TagsVariant,
  type VariantName,
} from "./lib/gateway-variants";
import { createJsonHttpClient, type JsonHttpClient } from "./lib/http-client";
import { medianStats } from "./lib/latency";
import { spread } from "./lib/list-tags";
import { runOpenLoop, type OpenLoopStats } from "./lib/load";
import { machineFacts, writeJsonReport } from "./lib/report";
import { rotate, runInterleavedRounds, statsRatio } from "./lib/rounds";
import { deleteWorkspaceTags, seedTags } from "./lib/seed";
import { forkBenchProcess, type BenchProcess } from "./lib/bench-process";
import type { GatewayBenchServer, GatewayBenchStarted } from "./servers/bench-server";

const REPO_ROOT = resolve(__dirname, "..");
const RESULTS_DIR = resolve(__dirname, "results");
const SERVER_ENTRY = resolve(__dirname, "servers/bench-server.ts");

// A fixed-rate run "kept" its rate when it achieved at least this share of it; below, it was over capacity.
const KEPT_RATE = 0.98;
// A fixed-rate run stops sending once this many seconds of requests are outstanding: the rate is over
// capacity, and the rest of the schedule would only make the run longer (and its queue deeper).
const MAX_BACKLOG_SECONDS = 1;

// Everything started is stopped through here, in reverse order, whether the run ends, fails or is interrupted.
const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let stopping: Promise<void> | undefined;
let interrupted = false;

function onCleanup(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        progress(`cleanup: ${name} failed: ${String(error)}`);
      }
    }
  })());
}

async function runBench(): Promise<void> {
  const config = loadGatewayBenchConfig(process.env);
  const startedAt = new Date();
  const began = performance.now();
  const machine = machineFacts();

  const database = await openDatabase(config.databaseUrl);
  onCleanup("database", () => database.stop());
  progress(`database: ${database.description}`);

  // Each server in a process of its own, as each runs in its own pod: the Tags service (through its
  // own main(), which runs the migrations), (b) the gateway and (c) express. The load client and
  // (a)'s gRPC client run here. Every process's CPU time is read around each run.
  const tags = await startServer<"tags">({ role: "tags", databaseUrl: database.url, poolSize: config.poolSize });
  onCleanup("tags service", () => tags.stop());

  const pool = new Pool({ connectionString: database.url, max: 2, application_name: "velaflows-bench" });
  onCleanup("seed pool", () => pool.end());
  const serverVersion = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  const workspaceId = newWorkspaceId(); // fresh, so rows left by earlier runs never enter the counts
  // A shared PostgreSQL keeps no benchmark rows; the in-memory PGlite goes away on its own.
  if (!database.embedded) onCleanup("benchmark rows", () => deleteWorkspaceTags(pool, workspaceId));
  const seedBegan = performance.now();
  const ids = await seedTags(pool, workspaceId, config.tags);
  const seedMs = performance.now() - seedBegan;
  progress(`seeded ${config.tags} tags in ${Math.round(seedMs)} ms`);

  const tagsAddress = tags.started.grpcAddress;
  const [gateway, express] = await Promise.all([
    startServer<"gateway">({ role: "gateway", tagsAddress, workspaceId }),
    startServer<"express">({ role: "express", tagsAddress }),
  ]);
  onCleanup("gateway", () => gateway.stop());
  onCleanup("express", () => express.stop());
  // A real client's credentials: an owner's access token for the workspace, and the workspace header.
  const headers = { authorization: `Bearer ${gateway.started.token}`, "x-workspace-id": workspaceId };

  const grpcClient = createServiceClient(TagsServiceClient, tagsAddress);
  onCleanup("gRPC client", () => grpcClient.close());

  const httpClients: JsonHttpClient[] = [];
  const httpClient = (url: string) => {
    const client = createJsonHttpClient(url, { headers, maxSockets: config.concurrency });
    httpClients.push(client);
    return client;
  };
  onCleanup("HTTP clients", () => httpClients.forEach((client) => client.close()));
  const variants: Record<VariantName, TagsVariant> = {
    gRPC: grpcVariant(grpcClient.call, () => workspaceMetadata(workspaceId), config.pageSize),
    gateway: httpVariant(httpClient(gateway.started.url), "_id", config.pageSize),
    express: httpVariant(httpClient(express.started.url), "id", config.pageSize),
  };
  progress(`gateway at ${gateway.started.url} (pid ${gateway.pid}), express at ${express.started.url} (pid ${express.pid}), Tags gRPC at ${tagsAddress} (pid ${tags.pid})`);
  const edges: Record<VariantName, BenchProcess<GatewayBenchStarted> | undefined> = { gRPC: undefined, gateway, express };
  const cpu = createCpuMeter<VariantName, EndpointName>({ tags, edgeOf: (variant) => edges[variant] });

  const check = await checkSameAnswers(variants, ids, config.pageSize);
  const workloads = endpointWorkloads(ids, config.pageSize, config.requests, config.warmup);

  progress(`saturation: warm-up, then ${config.rounds} rounds of ${config.requests} requests per variant and endpoint at concurrency ${config.concurrency}`);
  const rounds = await runInterleavedRounds({
    workloads,
    variants: VARIANTS,
    send: (variant, workload, i) => workload.send(variants[variant], i),
    concurrency: config.concurrency,
    rounds: config.rounds,
    beforeRun: (_round, _workload, variant) => cpu.begin(variant),
    onRun: async (round, workload, variant, stats) => {
      const used = await cpu.end(workload.name, variant, stats.requests);
      progress(
        `  round ${round} ${workload.name.padEnd(4)} ${VARIANT_LABELS[variant].padEnd(15)} ${fmt(stats.throughput, 0)} req/s, p50 ${fmt(stats.p50Ms, 2)} ms, p99 ${fmt(stats.p99Ms, 2)} ms; CPU µs/request: ${formatCpu(used)}`,
      );
    },
  });
  const saturation: SaturationResult[] = rounds.map(({ workload, variants: measured }) => {
    const gatewayOverExpress = statsRatio(measured.gateway.median, measured.express.median);
    const gatewayOverGrpc = statsRatio(measured.gateway.median, measured.gRPC.median);
    return {
      endpoint: workload.name,
      request: workload.request,
      variants: measured,
      gatewayOverExpress,
      gatewayOverGrpc,
      meets: {
        gatewayOverExpress: gatewayOverExpress.throughput >= GATEWAY_TARGETS.gatewayOverExpress,
        gatewayOverGrpc: gatewayOverGrpc.throughput >= GATEWAY_TARGETS.gatewayOverGrpc,
      },
    };
  });

  const fixedRate = config.rateRounds > 0 ? await runFixedRate(config, workloads, variants) : [];

  const { databaseUrl: _secret, ...shownConfig } = config;
  const report: GatewayBenchReport = {
    startedAt: startedAt.toISOString(),
    durationS: (performance.now() - began) / 1000,
    machine,
    source: sourceState(),
    loadAverage1mAtEnd: loadavg()[0]!,
    database: { kind: database.embedded ? "PGlite" : "PostgreSQL", description: database.description, serverVersion },
    config: shownConfig,
    seed: { tags: config.tags, workspaceId, ms: seedMs },
    check,
    saturation,
    cpu: cpu.results(),
    fixedRate,
    targets: GATEWAY_TARGETS,
  };
  process.stdout.write(renderGatewayReport(report));
  progress(`results written to ${await writeJsonReport(RESULTS_DIR, "gateway", report)}`);
}

// One of the benchmark's servers in a process of its own (servers/bench-server.ts).
function startServer<R extends GatewayBenchServer["role"]>(server: Extract<GatewayBenchServer, { role: R }>) {
  return forkBenchProcess<GatewayBenchServer, Extract<GatewayBenchStarted, { role: R }>>(SERVER_ENTRY, server);
}

/**
 * Before anything is timed: the list gives the same ids in the same order on every variant, and
 * get answers the requested tag on every variant, for a handful of ids spread over the workspace.
 * Also collects where the gateway's JSON and express's differ, for the report.
 */
async function checkSameAnswers(variants: Record<VariantName, TagsVariant>, ids: readonly string[], limit: number): Promise<GatewayBenchReport["check"]> {
  const all = async (call: (variant: TagsVariant) => Promise<Answer>) => {
    const answers = {} as Record<VariantName, Answer>;
    for (const name of VARIANTS) answers[name] = await call(variants[name]);
    return answers;
  };
  const disagree = (what: string, answers: Record<VariantName, Answer>) =>
    new Error(`the variants disagree on ${what}: ${VARIANTS.map((name) => `${VARIANT_LABELS[name]} ${JSON.stringify(answers[name].ids.slice(0, 3))}… (${answers[name].ids.length})`).join("; ")}`);

  const listed = await all((variant) => variant.list());
  const expectedPage = Math.min(limit, ids.length);
  if (listed.gRPC.ids.length !== expectedPage) throw new Error(`the list returned ${listed.gRPC.ids.length} tags, expected ${expectedPage}: seeding failed`);
  if (VARIANTS.some((name) => listed[name].ids.join() !== listed.gRPC.ids.join())) throw disagree("the list", listed);

  const sample = Array.from({ length: Math.min(5, ids.length) }, (_, i) => ids[spread(i, ids.length) - 1]!);
  let lastGet: Record<VariantName, Answer> | undefined;
  for (const id of sample) {
    lastGet = await all((variant) => variant.get(id));
    if (VARIANTS.some((name) => lastGet![name].ids.join() !== id)) throw disagree(`get ${id}`, lastGet);
  }

  // The first listed tag and the pagination, and one get: the rest of the list repeats the same shape.
  const firstOf = (answer: Answer) => {
    const data = answer.data as { items: unknown[]; pagination: unknown };
    return { items: data.items.slice(0, 1), pagination: data.pagination };
  };
  const jsonDiffs = [
    ...jsonDifferences(firstOf(listed.gateway), firstOf(listed.express)).map((d) => ({ endpoint: "list" as const, ...d })),
    ...jsonDifferences(lastGet!.gateway.data, lastGet!.express.data).map((d) => ({ endpoint: "get" as const, ...d })),
  ];
  progress(`checked: the same ${listed.gRPC.ids.length} ids from the list and the same tag for ${sample.length} gets on every variant`);
  return { list: { ids: listed.gRPC.ids.length }, get: { ids: sample.length }, jsonDifferences: jsonDiffs };
}

/**
 * (a) and (b) at each fixed rate, open loop, on both endpoints: `rateRounds` runs each, the order
 * of the two alternating between rounds; each run draws its own slice of the request sequence.
 */
async function runFixedRate(config: GatewayBenchConfig, workloads: readonly EndpointWorkload[], variants: Record<VariantName, TagsVariant>): Promise<FixedRateResult[]> {
  const compared: VariantName[] = ["gRPC", "gateway"];
  const results: FixedRateResult[] = [];
  let first = 2_000_000_000; // request indices of their own, apart from the warm-up's and the rounds'
  for (const rate of config.rates) {
    progress(`fixed rate: ${config.rateRounds} run(s) of ${config.rateSeconds} s at ${rate} req/s per variant and endpoint (a run stops when ${Math.round(rate * MAX_BACKLOG_SECONDS)} requests are outstanding)`);
    const measured = new Map<string, Map<VariantName, OpenLoopStats[]>>(workloads.map((w) => [w.name, new Map(compared.map((v) => [v, []]))]));
    for (let round = 0; round < config.rateRounds; round++) {
      for (const workload of workloads) {
        for (const variant of rotate(compared, round)) {
          const offset = first;
          const stats = await runOpenLoop(rate, config.rateSeconds * 1000, (i) => workload.send(variants[variant], offset + i), {
            maxBacklog: Math.max(1, Math.round(rate * MAX_BACKLOG_SECONDS)),
          });
          first += stats.requests;
          measured.get(workload.name)!.get(variant)!.push(stats);
          progress(
            `  run ${round + 1} ${workload.name.padEnd(4)} ${VARIANT_LABELS[variant].padEnd(15)} achieved ${fmt(stats.throughput, 0)} req/s, p50 ${fmt(stats.p50Ms, 2)} ms, p99 ${fmt(stats.p99Ms, 2)} ms, send lag <= ${fmt(stats.maxSendLagMs, 1)} ms${stats.stoppedEarly ? `, stopped after ${stats.sent} of ${stats.scheduled} (backlog full)` : ""}`,
          );
        }
      }
    }
    for (const workload of workloads) {
      const of = (variant: VariantName): FixedRateVariant => {
        const runs = measured.get(workload.name)!.get(variant)!;
        const median = medianStats(runs);
        return { variant, rounds: runs, median, keptRate: median.throughput >= rate * KEPT_RATE && runs.every((run) => !run.stoppedEarly) };
      };
      const grpc = of("gRPC");
      const viaGateway = of("gateway");
      const p50DeltaMs = viaGateway.median.p50Ms - grpc.median.p50Ms;
      results.push({
        rate,
        endpoint: workload.name,
        request: workload.request,
        variants: { gRPC: grpc, gateway: viaGateway },
        p50DeltaMs,
        meets: grpc.keptRate && viaGateway.keptRate && p50DeltaMs <= GATEWAY_TARGETS.p50DeltaMs,
      });
    }
  }
  return results;
}

/** The state of the code measured: other work in progress in the gateway shows here. */
function sourceState(): GatewayBenchReport["source"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const changed = (path: string) => git("status", "--porcelain", "--", path).split("\n").filter(Boolean).length;
    return { commit: git("rev-parse", "--short", "HEAD"), uncommittedGatewayFiles: changed("gateway"), uncommittedServiceFiles: changed("services/tags") + changed("packages") };
  } catch {
    return undefined; // not a git checkout
  }
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

// Progress goes to stderr so stdout holds only the report.
function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// A Ctrl+C or a kill still stops the servers and removes the benchmark's rows from a real PostgreSQL.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    progress(`${signal}: stopping`);
    const forced = setTimeout(() => process.exit(130), 10_000);
    forced.unref();
    void stopAll().finally(() => process.exit(130));
  });
}

runBench()
  .then(
    () => 0,
    (error: unknown) => {
      // Requests cut short by an interruption fail; that is not worth a stack trace.
      if (interrupted) return 130;
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    // Lingering handles (grpc-js channels, pool timers) must not keep a finished benchmark alive.
    process.exit(code);
  });
