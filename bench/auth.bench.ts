// `npm run bench:auth`: what authentication costs the gateway. GET /api/v1/tags?limit=20 through
// gateways that differ only in identity: authentication off, the development JWT, a real JWT from
// the Auth service, and an API token from the API Tokens service; side by side, one run, medians
// of interleaved rounds. See bench/README.md.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Pool } from "pg";
import { createServiceClient } from "@velaflows/kit";
import { AuthServiceClient } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import { loadGatewayBenchConfig } from "./lib/config";
import { openDatabase } from "./lib/database";
import { forkBenchProcess, type BenchProcess } from "./lib/bench-process";
import { identityVariants, measureIdentitySteps } from "./lib/identity-steps";
import { createJsonHttpClient, type JsonHttpClient } from "./lib/http-client";
import { median } from "./lib/latency";
import { fmtInt, fmtMs, fmtRatio, machineFacts, table, writeJsonReport } from "./lib/report";
import { runInterleavedRounds } from "./lib/rounds";
import { deleteWorkspaceTags, seedTags } from "./lib/seed";
import type { AuthBenchStart, AuthBenchStarted } from "./servers/auth-bench-server";

const REPO_ROOT = resolve(__dirname, "..");
const RESULTS_DIR = resolve(__dirname, "results");
const SERVER_ENTRY = resolve(__dirname, "servers/auth-bench-server.ts");

/** The variants, baseline first. */
const VARIANTS = ["off", "dev JWT", "JWT", "API token"] as const;
type Variant = (typeof VARIANTS)[number];
const VARIANT_LABELS: Record<Variant, string> = {
  off: "auth off",
  "dev JWT": "dev identity JWT",
  JWT: "JWT (Auth service)",
  "API token": "API token",
};
/** The target: authenticated throughput within 10 % of authentication off. */
const TARGET_RATIO = 0.9;
const TARGETED: readonly Variant[] = ["JWT", "API token"];

interface CpuPerRequest {
  /** The gateways' process (only one gateway is loaded at a time). */
  gateway: number;
  /** The services' process: Tags, and Auth and API Tokens when the gateway asks them. */
  services: number;
  /** This process: the load client (and PGlite when no DATABASE_URL). */
  client: number;
}

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let stopping: Promise<void> | undefined;
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
  const machine = machineFacts();
  const database = await openDatabase(config.databaseUrl);
  onCleanup("database", () => database.stop());
  progress(`database: ${database.description}`);

  const services = (await forkBenchProcess<AuthBenchStart, AuthBenchStarted>(SERVER_ENTRY, {
    role: "services",
    databaseUrl: database.url,
    poolSize: config.poolSize,
  })) as BenchProcess<Extract<AuthBenchStarted, { role: "services" }>>;
  onCleanup("services", () => services.stop());

  // A real account: its user owns a real workspace, which the Tags rows are seeded into.
  const auth = createServiceClient(AuthServiceClient, services.started.auth);
  onCleanup("auth client", () => auth.close());
  const registered = await auth.call.register({
    email: `bench-${Date.now()}@bench.velaflows.local`,
    password: "benchmark passphrase",
    name: "Benchmark",
    workspaceName: "Benchmark",
  });
  const userId = registered.user!.id;
  const workspaceId = registered.workspace!.id;
  const pool = new Pool({ connectionString: database.url, max: 2, application_name: "velaflows-bench" });
  onCleanup("seed pool", () => pool.end());
  if (!database.embedded) onCleanup("benchmark rows", () => deleteWorkspaceTags(pool, workspaceId));
  await seedTags(pool, workspaceId, config.tags);
  progress(`registered user ${userId}, workspace ${workspaceId}; seeded ${config.tags} tags`);

  const gateways = (await forkBenchProcess<AuthBenchStart, AuthBenchStarted>(SERVER_ENTRY, {
    role: "gateways",
    tagsAddress: services.started.tags,
    authAddress: services.started.auth,
    apiTokensAddress: services.started.apiTokens,
    userId,
    workspaceId,
  })) as BenchProcess<Extract<AuthBenchStarted, { role: "gateways" }>>;
  onCleanup("gateways", () => gateways.stop());

  const apiToken = await createApiToken(gateways.started.identity, registered.accessToken, workspaceId);
  const credentials: Record<Variant, { url: string; token: string }> = {
    off: { url: gateways.started.off, token: "bench-any-credential" },
    "dev JWT": { url: gateways.started.dev, token: gateways.started.devToken },
    JWT: { url: gateways.started.identity, token: registered.accessToken },
    "API token": { url: gateways.started.identity, token: apiToken },
  };
  const clients = {} as Record<Variant, JsonHttpClient>;
  for (const variant of VARIANTS) {
    const { url, token } = credentials[variant];
    clients[variant] = createJsonHttpClient(url, { headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId }, maxSockets: config.concurrency });
  }
  onCleanup("HTTP clients", () => VARIANTS.forEach((variant) => clients[variant].close()));
  const path = `/api/v1/tags?limit=${config.pageSize}`;

  // Correctness first: every variant answers the same page.
  const pages = await Promise.all(VARIANTS.map(async (variant) => idsOf(await clients[variant].get(path))));
  for (const [i, ids] of pages.entries()) {
    if (ids.length !== Math.min(config.pageSize, config.tags) || ids.join() !== pages[0]!.join()) {
      throw new Error(`${VARIANTS[i]} answered another page: ${ids.length} ids`);
    }
  }
  progress(`all variants answer the same ${pages[0]!.length} tags`);

  const cpu = new Map<Variant, CpuPerRequest[]>(VARIANTS.map((v) => [v, []]));
  let before: CpuPerRequest | undefined;
  const snapshot = async (): Promise<CpuPerRequest> => {
    const [gateway, servicesMicros] = await Promise.all([gateways.cpuMicros(), services.cpuMicros()]);
    const { user, system } = process.cpuUsage();
    return { gateway, services: servicesMicros, client: user + system };
  };
  progress(`warm-up, then ${config.rounds} rounds of ${config.requests} requests per variant at concurrency ${config.concurrency}`);
  const [result] = await runInterleavedRounds({
    workloads: [{ name: "list", requests: config.requests, warmup: config.warmup }],
    variants: VARIANTS,
    send: (variant) => clients[variant].get(path),
    concurrency: config.concurrency,
    rounds: config.rounds,
    beforeRun: async () => {
      before = await snapshot();
    },
    onRun: async (round, _workload, variant, stats) => {
      const after = await snapshot();
      const used = {
        gateway: (after.gateway - before!.gateway) / stats.requests,
        services: (after.services - before!.services) / stats.requests,
        client: (after.client - before!.client) / stats.requests,
      };
      cpu.get(variant)!.push(used);
      progress(
        `  round ${round} ${VARIANT_LABELS[variant].padEnd(18)} ${fmtInt(stats.throughput)} req/s, p50 ${fmtMs(stats.p50Ms)} ms, p99 ${fmtMs(stats.p99Ms)} ms; CPU µs/request gateway ${fmtInt(used.gateway)}, services ${fmtInt(used.services)}, client ${fmtInt(used.client)}`,
      );
    },
  });

  const baseline = result!.variants.off.median;
  const offCpu = median(cpu.get("off")!.map((c) => c.gateway));
  const rows = VARIANTS.map((variant) => {
    const measured = result!.variants[variant];
    const cpuRounds = cpu.get(variant)!;
    const cpuMedian: CpuPerRequest = {
      gateway: median(cpuRounds.map((c) => c.gateway)),
      services: median(cpuRounds.map((c) => c.services)),
      client: median(cpuRounds.map((c) => c.client)),
    };
    const throughputs = measured.rounds.map((r) => r.throughput);
    return {
      variant,
      label: VARIANT_LABELS[variant],
      median: measured.median,
      rounds: measured.rounds,
      range: [Math.min(...throughputs), Math.max(...throughputs)] as const,
      ratioToOff: measured.median.throughput / baseline.throughput,
      // Round r of every variant ran back to back, on about the same machine: the ratio within a
      // round cancels most of the shared machine's drift, and its median over rounds is steadier.
      roundRatioToOff: median(measured.rounds.map((r, i) => r.throughput / result!.variants.off.rounds[i]!.throughput)),
      gatewayCpuToOff: cpuMedian.gateway / offCpu,
      cpu: cpuMedian,
      cpuRounds,
    };
  });
  const targets = TARGETED.map((variant) => {
    const row = rows.find((r) => r.variant === variant)!;
    return { variant, ratio: row.ratioToOff, roundRatio: row.roundRatioToOff, gatewayCpu: row.gatewayCpuToOff, met: row.roundRatioToOff >= TARGET_RATIO };
  });
  // The identity steps alone, in this process, against the same services: their CPU per request
  // next to the whole gateway's (auth off), the share authentication adds to a request.
  progress("identity steps alone: authenticate, authorize, upstream metadata");
  const identity = await identityVariants({
    authAddress: services.started.auth,
    apiTokensAddress: services.started.apiTokens,
    userId,
    workspaceId,
    accessToken: registered.accessToken,
    apiToken,
  });
  onCleanup("identity steps", () => identity.close());
  const stepRequests = 20_000;
  const steps = await measureIdentitySteps(identity.variants, workspaceId, { requests: stepRequests, rounds: config.rounds, warmup: 2_000 });
  const stepsOff = steps.find((r) => r.name === "off")!.microsPerRequest;
  const stepRows = steps.map((r) => ({ ...r, addedMicros: r.microsPerRequest - stepsOff, shareOfGatewayOff: (r.microsPerRequest - stepsOff) / offCpu }));

  const commit = gitCommit();
  const loadAtEnd = loadavg()[0]!;

  const lines = [
    "",
    `Gateway authentication overhead: GET ${path}, ${config.tags} tags in the workspace`,
    `  ${machine.cpus} CPUs (${machine.cpuModel}), node ${machine.node}, load ${machine.loadAverage1m.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end; ${database.description}; commit ${commit}`,
    `  ${config.rounds} rounds x ${config.requests} requests per variant, concurrency ${config.concurrency}, ${config.warmup} warm-up; medians over rounds; [min-max] req/s`,
    "",
    table(
      ["variant", "req/s", "range", "p50 ms", "p99 ms", "/ off", "/ off by round", "gateway µs/req", "/ off", "services µs/req", "client µs/req"],
      rows.map((r) => [
        r.label,
        fmtInt(r.median.throughput),
        `[${fmtInt(r.range[0])}-${fmtInt(r.range[1])}]`,
        fmtMs(r.median.p50Ms),
        fmtMs(r.median.p99Ms),
        fmtRatio(r.ratioToOff),
        fmtRatio(r.roundRatioToOff),
        fmtInt(r.cpu.gateway),
        fmtRatio(r.gatewayCpuToOff),
        fmtInt(r.cpu.services),
        fmtInt(r.cpu.client),
      ]),
      "lrrrrrrrrrr",
    ),
    "",
    `Identity steps alone (authenticate, authorize, upstream metadata), ${config.rounds} rounds x ${fmtInt(stepRequests)} requests, caches warm; median CPU per request,`,
    "and what it adds over auth off as a share of the whole gateway's CPU per request (auth off, above):",
    "",
    table(
      ["variant", "µs/request", "added µs", "share of a request"],
      stepRows.map((r) => [r.name === "off" ? "auth off" : VARIANT_LABELS[r.name as Variant], r.microsPerRequest.toFixed(1), r.addedMicros.toFixed(1), `${(r.shareOfGatewayOff * 100).toFixed(1)} %`]),
      "lrrr",
    ),
    "",
    ...targets.map(
      (t) =>
        `  target ${VARIANT_LABELS[t.variant]} >= ${TARGET_RATIO.toFixed(2)}x auth off req/s (median of per-round ratios): ${fmtRatio(t.roundRatio)} ${t.met ? "met" : "NOT met"}` +
        ` (ratio of medians ${fmtRatio(t.ratio)}; gateway CPU per request ${fmtRatio(t.gatewayCpu)} of auth off)`,
    ),
    "",
  ];
  process.stdout.write(lines.join("\n"));
  const file = await writeJsonReport(RESULTS_DIR, "auth", {
    startedAt: startedAt.toISOString(),
    machine,
    loadAverageAtEnd: loadAtEnd,
    database: database.description,
    commit,
    config,
    path,
    variants: rows,
    identitySteps: stepRows,
    targets,
  } as { startedAt: string });
  progress(`report written to ${file}`);
}

async function createApiToken(gatewayUrl: string, accessToken: string, workspaceId: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/v1/api-tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "x-workspace-id": workspaceId, "content-type": "application/json" },
    body: JSON.stringify({ name: "benchmark", scopes: ["tags:read"], environment: "test" }),
  });
  const body = (await response.json()) as { data?: { secret?: string } };
  if (response.status !== 201 || !body.data?.secret) throw new Error(`creating the API token answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data.secret;
}

function idsOf(body: unknown): string[] {
  const envelope = body as { success?: boolean; data?: { items?: Array<{ _id: string }> } };
  if (envelope.success !== true) throw new Error(`not a success envelope: ${JSON.stringify(body).slice(0, 300)}`);
  return (envelope.data?.items ?? []).map((item) => item._id);
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "gateway", "services/auth", "services/api-tokens"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    return dirty ? `${head} (+${dirty.split("\n").length} uncommitted files under gateway/ and the identity services)` : head;
  } catch {
    return "unknown";
  }
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

process.once("SIGINT", () => {
  progress("interrupted: stopping");
  void stopAll().finally(() => process.exit(130));
});

runBench()
  .then(stopAll)
  .catch(async (error: unknown) => {
    progress(`bench:auth failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopAll();
    process.exitCode = 1;
  });
