// `npm run bench`: Tags ListTags over gRPC against the same page with plain pg, side by side in one
// run, then the start-up time and peak memory of `npm start`. See bench/README.md.
import { resolve } from "node:path";
import { Pool } from "pg";
import { createServiceClient, type RunningService } from "@velaflows/kit";
import { discoverServices, loadLauncherConfig } from "@velaflows/launcher";
import { newWorkspaceId, startTestService } from "@velaflows/testing";
import { main as startTags } from "@velaflows/tags";
import { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { loadBenchConfig, type BenchConfig } from "./lib/config";
import { openDatabase } from "./lib/database";
import { runListBench, verifySamePages, type PathName } from "./lib/list-bench";
import { grpcListTags, pageWorkload, pgListTags, searchWorkload, type ListTags } from "./lib/list-tags";
import { machineFacts, renderReport, startupMedians, writeJsonReport, type BenchReport } from "./lib/report";
import { deleteWorkspaceTags, seedTags, SEARCH_WORDS } from "./lib/seed";
import { abortStartups, measureStartups } from "./lib/startup";

const REPO_ROOT = resolve(__dirname, "..");
const RESULTS_DIR = resolve(__dirname, "results");

async function runBench(): Promise<void> {
  const config = loadBenchConfig(process.env);
  const startedAt = new Date();
  const began = performance.now();
  const machine = machineFacts();
  const list = await benchListTags(config);

  let startup: BenchReport["startup"];
  if (!config.skipStartup) {
    progress(`npm start: ${config.startupRuns} cold and ${config.startupRuns} warm starts`);
    const runs = await measureStartups({
      cwd: REPO_ROOT,
      services: discoverServices(loadLauncherConfig(process.env).servicesDir, []).map((s) => s.manifest.name),
      runs: config.startupRuns,
      timeoutMs: config.startupTimeoutMs,
      onRun: (run) => progress(`  ${run.kind}: ready in ${Math.round(run.readyMs)} ms, peak RSS ${run.peakRssMiB?.toFixed(0) ?? "n/a"} MiB`),
    });
    startup = { runs, median: startupMedians(runs) };
  }

  const { databaseUrl: _secret, ...shownConfig } = config;
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    durationS: (performance.now() - began) / 1000,
    machine,
    config: shownConfig,
    ...list,
    startup,
  };
  process.stdout.write(renderReport(report));
  progress(`results written to ${await writeJsonReport(RESULTS_DIR, "tags-list", report)}`);
}

/** Database, Tags service and seed; the side-by-side rounds; and cleanup whatever happens. */
async function benchListTags(config: BenchConfig): Promise<Pick<BenchReport, "database" | "seed" | "checkedPages" | "listTags">> {
  const database = await openDatabase(config.databaseUrl);
  let service: RunningService | undefined;
  let pool: Pool | undefined;
  let client: ReturnType<typeof createServiceClient<TagsServiceClient>> | undefined;
  const workspaceId = newWorkspaceId(); // fresh, so rows left by earlier runs never enter the counts
  let seeded = false;
  try {
    progress(`database: ${database.description}`);
    // Through the service's own main(), as tests and the launcher start it; it runs the migrations.
    service = await startTestService("tags", startTags, {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(config.poolSize),
      LOG_LEVEL: "silent",
    });
    pool = new Pool({ connectionString: database.url, max: config.poolSize, application_name: "velaflows-bench" });
    const serverVersion = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;

    const seedBegan = performance.now();
    seeded = true;
    await seedTags(pool, workspaceId, config.tags);
    const seedMs = performance.now() - seedBegan;
    progress(`seeded ${config.tags} tags in ${Math.round(seedMs)} ms`);

    client = createServiceClient(TagsServiceClient, service.grpcAddress);
    const paths: Record<PathName, ListTags> = {
      gRPC: grpcListTags(client.call, workspaceId, config.pageSize),
      "plain pg": pgListTags(pool, workspaceId, config.pageSize),
    };
    const lastPage = Math.ceil(config.tags / config.pageSize);
    const checkedPages = await verifySamePages(paths, [
      { page: 1, search: "" },
      { page: Math.ceil(lastPage / 2), search: "" },
      { page: lastPage, search: "" },
      { page: 1, search: SEARCH_WORDS[0] },
      { page: 3, search: SEARCH_WORDS[1] },
    ]);

    const listTags = await runListBench({
      workloads: [pageWorkload(config.tags, config.pageSize), searchWorkload(config.tags, config.pageSize)],
      paths,
      requests: config.requests,
      warmup: config.warmup,
      concurrency: config.concurrency,
      rounds: config.rounds,
      onRun: (round, workload, path, stats) =>
        progress(`  round ${round} ${workload.padEnd(6)} ${path.padEnd(8)} ${Math.round(stats.throughput)} req/s, p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms`),
    });
    return {
      database: { description: database.description, serverVersion },
      seed: { tags: config.tags, workspaceId, ms: seedMs },
      checkedPages,
      listTags,
    };
  } finally {
    client?.close();
    // A shared PostgreSQL keeps no benchmark rows; the in-memory PGlite goes away on its own.
    if (seeded && pool && !database.embedded) await deleteWorkspaceTags(pool, workspaceId).catch((error: unknown) => progress(`cleanup failed: ${String(error)}`));
    await pool?.end();
    await service?.stop();
    await database.stop();
  }
}

// Progress goes to stderr so stdout holds only the report.
function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

// A Ctrl+C or a kill must not leave an `npm start` tree running: its group is killed before exiting.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    abortStartups();
    process.exit(130);
  });
}
process.once("exit", abortStartups);

runBench().then(
  // Lingering handles (grpc-js channels, pool timers) must not keep a finished benchmark alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    abortStartups();
    process.exit(1);
  },
);
