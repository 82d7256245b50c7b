// `npm run bench:customers`: the Customers service at scale, through the gateway (issue 7). One
// workspace holds BENCH_CUSTOMERS customers (one million by default) and nine others
// BENCH_CUSTOMERS_OTHERS each (100,000); measured over real HTTP through the gateway, one request at a
// time and BENCH_CONCURRENCY at once: GET /api/v1/customers first page, filtered by tag, searched
// by a partial name, sorted by last contact. Then a BENCH_IMPORT_ROWS-row CSV import (100,000) as
// an async job through the gateway: rows per second and the service's peak memory. Prints the
// EXPLAIN (ANALYZE, BUFFERS) plan of every statement behind the lists, captured from the
// repository itself. Targets: list and search p99 under 50 ms, import above 2,000 rows/s. See
// bench/README.md.
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Pool } from "pg";
import type { DataSource, Logger as TypeormLogger } from "typeorm";
import { createServiceClient, newObjectId, ServiceError } from "@velaflows/kit";
import { createCustomersDataSource } from "@velaflows/customers/persistence/data-source";
import { COUNTED_TOTAL_CAP, CustomerRepository } from "@velaflows/customers/persistence/customer.repository";
import { CustomPropertiesServiceClient, CreatePropertyRequest } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { CreateTagRequest, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { newWorkspaceId, workspaceMetadata } from "@velaflows/testing";
import { forkBenchProcess, type BenchProcess } from "./lib/bench-process";
import { deleteBenchRows, PLANS, seedCustomers } from "./lib/customers-seed";
import { openDatabase } from "./lib/database";
import { createJsonHttpClient, type JsonHttpClient } from "./lib/http-client";
import { median, medianStats, type RunStats } from "./lib/latency";
import { runClosedLoop } from "./lib/load";
import { readMemory } from "./lib/process-tree";
import { machineFacts, writeJsonReport } from "./lib/report";
import type { CustomersBenchServer, CustomersBenchStarted } from "./servers/customers-bench-server";

const RESULTS_DIR = resolve(__dirname, "results");
const SERVER_ENTRY = resolve(__dirname, "servers/customers-bench-server.ts");

const env = process.env;
const config = {
  customers: Number(env.BENCH_CUSTOMERS ?? 1_000_000),
  others: Number(env.BENCH_CUSTOMERS_OTHERS ?? 100_000),
  otherWorkspaces: Number(env.BENCH_CUSTOMERS_OTHER_WORKSPACES ?? 9),
  samples: Number(env.BENCH_SAMPLES ?? 200),
  concurrency: Number(env.BENCH_CONCURRENCY ?? 4),
  requests: Number(env.BENCH_REQUESTS ?? 400),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  importRows: Number(env.BENCH_IMPORT_ROWS ?? 100_000),
  importRuns: Number(env.BENCH_IMPORT_RUNS ?? 1),
  poolSize: Number(env.BENCH_POOL_SIZE ?? 10),
  seedBatch: Number(env.BENCH_SEED_BATCH ?? 50_000),
  keep: env.BENCH_KEEP === "1",
  skipList: env.BENCH_SKIP_LIST === "1" || env.BENCH_IMPORT_ONLY === "1",
  // Only the import, in a workspace of its own: the seeded workspaces are neither read nor written
  // (safe while another run seeds them).
  importOnly: env.BENCH_IMPORT_ONLY === "1",
};
const TARGET_LIST_P99_MS = 50;
const TARGET_IMPORT_ROWS_PER_S = 2000;
const PAGE_SIZE = 20;

// Fixed ids: with BENCH_KEEP=1 a later run finds the seed (if its sizes match) and skips seeding.
const workspaceIdOf = (n: number) => `6b0c5be4c0000000000000${n.toString(16).padStart(2, "0")}`;
// Partial names as people type them: a first-name prefix, a last-name prefix, "first last" prefixes.
const SEARCHES = ["mari", "kowal", "nguy", "ann smi", "garc", "kath", "moham", "schmi", "sofia sil", "ivan"];

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
const onCleanup = (name: string, run: () => Promise<void> | void) => cleanups.push({ name, run });
async function stopAll(): Promise<void> {
  for (const { name, run } of cleanups.splice(0).reverse()) {
    try {
      await run();
    } catch (error) {
      progress(`cleanup: ${name} failed: ${String(error)}`);
    }
  }
}

interface Workload {
  name: string;
  request: string;
  path(i: number): string;
}

interface WorkloadResult {
  name: string;
  request: string;
  total: number;
  sequential: RunStats[];
  concurrent: RunStats[];
}

async function run(): Promise<void> {
  const startedAt = new Date();
  const machine = machineFacts();
  const loadAtStart = loadavg();
  const database = await openDatabase(env.DATABASE_URL);
  onCleanup("database", () => database.stop());
  const pool = new Pool({ connectionString: database.url, max: 3, application_name: "velaflows-bench-customers" });
  onCleanup("seed pool", () => pool.end());
  const serverVersion = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  progress(`database: ${database.description} (${serverVersion}); ${fmtInt(config.customers)} customers + ${config.otherWorkspaces} x ${fmtInt(config.others)}; load ${fmtLoad(loadAtStart)}`);

  // Tags and Custom Properties (one process), Customers (one), the gateway (one), as in a deployment.
  const dependencies = await startServer<"dependencies">({ role: "dependencies", databaseUrl: database.url });
  onCleanup("tags and custom properties", () => dependencies.stop());
  const { tagsAddress, customPropertiesAddress } = dependencies.started;
  const customers = await startServer<"customers">({ role: "customers", databaseUrl: database.url, poolSize: config.poolSize, tagsAddress, customPropertiesAddress });
  onCleanup("customers service", () => customers.stop());

  const workspaces = Array.from({ length: config.importOnly ? 0 : 1 + config.otherWorkspaces }, (_, n) => ({
    workspaceId: workspaceIdOf(n),
    number: n + 1,
    customers: n === 0 ? config.customers : config.others,
  }));
  const importWorkspaceIds = Array.from({ length: config.importRuns }, () => newWorkspaceId());
  if (!config.keep) onCleanup("benchmark rows", () => deleteBenchRows(pool, workspaces.map((w) => w.workspaceId)));
  onCleanup("import rows", () => deleteBenchRows(pool, importWorkspaceIds));

  const tagsClient = createServiceClient(TagsServiceClient, tagsAddress);
  const propertiesClient = createServiceClient(CustomPropertiesServiceClient, customPropertiesAddress);
  onCleanup("clients", () => {
    tagsClient.close();
    propertiesClient.close();
  });
  const prepareWorkspace = async (workspaceId: string) => ({
    tagIds: await ensureTags(pool, tagsClient.call, workspaceId),
    ok: await ensureProperties(propertiesClient.call, workspaceId),
  });

  // The seed: reused when BENCH_KEEP=1 left one of the same sizes, else (re)written.
  const seedBegan = performance.now();
  const tagsOf = new Map<string, string[]>();
  let seeded = 0;
  for (const workspace of workspaces) {
    const { tagIds } = await prepareWorkspace(workspace.workspaceId);
    tagsOf.set(workspace.workspaceId, tagIds);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "customers"."customers" WHERE "workspace_id" = $1`, [workspace.workspaceId]);
    if (Number(rows[0]!.n) === workspace.customers) {
      progress(`workspace ${workspace.workspaceId}: ${fmtInt(workspace.customers)} customers kept from an earlier run`);
      continue;
    }
    await deleteCustomerRows(pool, workspace.workspaceId);
    const ownerIds = Array.from({ length: 12 }, () => newObjectId());
    const began = performance.now();
    await seedCustomers(pool, { ...workspace, tagIds, ownerIds }, config.seedBatch, (done) => progress(`  ${workspace.workspaceId}: ${fmtInt(done)} / ${fmtInt(workspace.customers)}`));
    seeded += workspace.customers;
    progress(`workspace ${workspace.workspaceId}: ${fmtInt(workspace.customers)} customers in ${fmtS(performance.now() - began)}`);
  }
  if (seeded > 0) {
    // What autovacuum would have done by the time a workspace grew this large: statistics, the
    // visibility map (index-only scans) and the GIN pending lists merged.
    const began = performance.now();
    await pool.query(`VACUUM ANALYZE "customers"."customers"`);
    await pool.query(`VACUUM ANALYZE "customers"."customer_keys"`);
    progress(`VACUUM ANALYZE in ${fmtS(performance.now() - began)}`);
  }
  const seedMs = performance.now() - seedBegan;
  const big = workspaces[0]?.workspaceId ?? importWorkspaceIds[0]!;
  const bigTags = tagsOf.get(big) ?? [];

  const gateway = await startServer<"gateway">({
    role: "gateway",
    addresses: { tags: tagsAddress, "custom-properties": customPropertiesAddress, customers: customers.started.grpcAddress },
    workspaceIds: [big, ...importWorkspaceIds],
  });
  onCleanup("gateway", () => gateway.stop());
  const client = (workspaceId: string, maxSockets: number) =>
    createJsonHttpClient(gateway.started.url, { headers: { authorization: `Bearer ${gateway.started.tokens[workspaceId]}`, "x-workspace-id": workspaceId }, maxSockets });
  const http = client(big, config.concurrency);
  onCleanup("HTTP client", () => http.close());

  const workloads: Workload[] = [
    { name: "first page", request: `GET /api/v1/customers?limit=${PAGE_SIZE}`, path: () => `/api/v1/customers?limit=${PAGE_SIZE}` },
    {
      name: "filtered by tag",
      request: `GET /api/v1/customers?limit=${PAGE_SIZE}&filter.tagIds=<one of 20>`,
      path: (i) => `/api/v1/customers?limit=${PAGE_SIZE}&filter.tagIds=${bigTags[i % bigTags.length]}`,
    },
    {
      name: "searched by name",
      request: `GET /api/v1/customers?limit=${PAGE_SIZE}&search=<one of ${SEARCHES.length} partial names>`,
      path: (i) => `/api/v1/customers?limit=${PAGE_SIZE}&search=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`,
    },
    {
      name: "sorted by last contact",
      request: `GET /api/v1/customers?limit=${PAGE_SIZE}&sortBy=lastContactAt&sortOrder=desc`,
      path: () => `/api/v1/customers?limit=${PAGE_SIZE}&sortBy=lastContactAt&sortOrder=desc`,
    },
  ];

  const results: WorkloadResult[] = [];
  if (!config.skipList) {
    // Correctness first: full pages, and totals equal to what the database counts.
    const checks = await checkTotals(pool, http, big, bigTags);
    for (const workload of workloads) {
      const page = (await http.get(workload.path(0))) as { data: { items: unknown[]; pagination: { total: number } } };
      if (page.data.items.length !== Math.min(PAGE_SIZE, page.data.pagination.total)) throw new Error(`${workload.name}: ${page.data.items.length} items`);
      results.push({ name: workload.name, request: workload.request, total: page.data.pagination.total, sequential: [], concurrent: [] });
    }
    progress(`totals checked: ${checks}`);
    // Warm-up, then rounds: each workload one request at a time, then BENCH_CONCURRENCY at once.
    for (const workload of workloads) await runClosedLoop(50, config.concurrency, (i) => http.get(workload.path(1_000_000 + i)));
    for (let round = 0; round < config.rounds; round++) {
      for (const [w, workload] of workloads.entries()) {
        const sequential = await runClosedLoop(config.samples, 1, (i) => http.get(workload.path(i)));
        const concurrent = await runClosedLoop(config.requests, config.concurrency, (i) => http.get(workload.path(i)));
        results[w]!.sequential.push(sequential);
        results[w]!.concurrent.push(concurrent);
        progress(
          `  round ${round + 1} ${workload.name.padEnd(22)} sequential p50 ${fmtMs(sequential.p50Ms)} p99 ${fmtMs(sequential.p99Ms)} ms; ` +
            `x${config.concurrency} p50 ${fmtMs(concurrent.p50Ms)} p99 ${fmtMs(concurrent.p99Ms)} ms, ${fmtInt(concurrent.throughput)} req/s; load ${fmtLoad(loadavg())}`,
        );
      }
    }
  }
  const loadAfterList = loadavg();

  const plans = config.skipList ? [] : await explainLists(database.url, pool, big, bigTags);

  const imports: ImportResult[] = [];
  for (const workspaceId of importWorkspaceIds) {
    if (config.importRows <= 0) break;
    const { tagIds } = await prepareWorkspace(workspaceId);
    const importer = client(workspaceId, 1);
    try {
      imports.push(await measureImport(gateway.started.url, gateway.started.tokens[workspaceId]!, importer, workspaceId, tagIds, customers));
    } finally {
      importer.close();
    }
    const last = imports[imports.length - 1]!;
    progress(`import: ${fmtInt(last.rows)} rows in ${fmtS(last.ms)}, ${fmtInt(last.rowsPerSecond)} rows/s, created ${fmtInt(last.created)}, errors ${last.errors}; customers RSS peak ${last.peakRssMiB} MiB; load ${fmtLoad(loadavg())}`);
  }

  const report = { startedAt: startedAt.toISOString(), machine, loadAtStart, loadAfterList, loadAtEnd: loadavg(), database: database.description, serverVersion, config, seedMs, results, imports, plans };
  process.stdout.write(renderReport(report));
  progress(`results written to ${await writeJsonReport(RESULTS_DIR, "customers", report)}`);
}

/** The 20 tags of a workspace in the Tags service: found, else created through it. */
async function ensureTags(pool: Pool, call: ReturnType<typeof createServiceClient<TagsServiceClient>>["call"], workspaceId: string): Promise<string[]> {
  const existing = await pool.query<{ id: string }>(`SELECT "id" FROM "tags"."tags" WHERE "workspace_id" = $1 AND "name" LIKE 'Bench tag %' ORDER BY "name"`, [workspaceId]);
  if (existing.rows.length === 20) return existing.rows.map((r) => r.id);
  const ids: string[] = [];
  for (let t = 0; t < 20; t++) {
    const name = `Bench tag ${String(t + 1).padStart(2, "0")}`;
    const known = existing.rows.length > 0 ? (await pool.query<{ id: string }>(`SELECT "id" FROM "tags"."tags" WHERE "workspace_id" = $1 AND "name" = $2`, [workspaceId, name])).rows[0] : undefined;
    if (known) ids.push(known.id);
    else ids.push((await call.createTag(CreateTagRequest.fromPartial({ name, color: "#22c55e", entityTypes: ["customer"] }), { metadata: workspaceMetadata(workspaceId) })).tag!.id);
  }
  return ids;
}

/** The `plan` (select) and `ltv` (number) customer properties, created unless they exist. */
async function ensureProperties(call: ReturnType<typeof createServiceClient<CustomPropertiesServiceClient>>["call"], workspaceId: string): Promise<boolean> {
  const requests = [
    CreatePropertyRequest.fromPartial({ entityType: "customer", key: "plan", label: "Plan", type: "select", options: PLANS.map((p) => ({ value: p, label: p })) }),
    CreatePropertyRequest.fromPartial({ entityType: "customer", key: "ltv", label: "Lifetime value", type: "number" }),
  ];
  for (const request of requests) {
    try {
      await call.createProperty(request, { metadata: workspaceMetadata(workspaceId) });
    } catch (error) {
      if (!(error instanceof ServiceError) && !/exist/i.test(String(error))) throw error;
    }
  }
  return true;
}

async function deleteCustomerRows(pool: Pool, workspaceId: string): Promise<void> {
  await pool.query(`DELETE FROM "customers"."customer_keys" WHERE "workspace_id" = $1`, [workspaceId]);
  await pool.query(`DELETE FROM "customers"."customers" WHERE "workspace_id" = $1`, [workspaceId]);
}

/** The first page's total of each workload equals the database's own count (up to the cap where it is counted). */
async function checkTotals(pool: Pool, http: JsonHttpClient, workspaceId: string, tagIds: readonly string[]): Promise<string> {
  const count = async (where: string, params: unknown[]) =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "customers"."customers" c WHERE c."workspace_id" = $1 ${where}`, [workspaceId, ...params])).rows[0]!.n);
  const expectations: [string, string, number][] = [
    ["all", `/api/v1/customers?limit=${PAGE_SIZE}`, await count("", [])],
    ["tag", `/api/v1/customers?limit=${PAGE_SIZE}&filter.tagIds=${tagIds[0]}`, await count(`AND c."tag_ids" @> ARRAY[$2::text]`, [tagIds[0]])],
    // Counted up to the cap (documented on ListCustomersResponse); here from the stored words, not the index.
    ["search", `/api/v1/customers?limit=${PAGE_SIZE}&search=kowal`, Math.min(COUNTED_TOTAL_CAP, await count(`AND c."search_document" ~ '(^| )kowal'`, []))],
  ];
  const seen: string[] = [];
  for (const [name, path, expected] of expectations) {
    const page = (await http.get(path)) as { data: { pagination: { total: number } } };
    if (page.data.pagination.total !== expected) throw new Error(`${name}: the API says ${page.data.pagination.total} customers, the database counts ${expected}`);
    seen.push(`${name} ${fmtInt(expected)}`);
  }
  return seen.join(", ");
}

/** One statement the repository sent, as captured from typeorm. */
interface Captured {
  sql: string;
  parameters: unknown[];
}

interface Plan {
  title: string;
  sql: string;
  plan: string[];
}

/**
 * The statements behind each list, captured from CustomerRepository itself (the code the service
 * runs, on a data source of its own in this process with a logger that records every query), then
 * each run again under EXPLAIN (ANALYZE, BUFFERS).
 */
async function explainLists(url: string, pool: Pool, workspaceId: string, tagIds: readonly string[]): Promise<Plan[]> {
  let captured: Captured[] = [];
  const logger: TypeormLogger = {
    logQuery: (sql, parameters) => void captured.push({ sql, parameters: Array.isArray(parameters) ? parameters : [] }),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  const dataSource: DataSource = createCustomersDataSource({ url, schema: "customers", poolSize: 1 });
  dataSource.setOptions({ logger, logging: ["query"] });
  await dataSource.initialize();
  const repository = new CustomerRepository(dataSource.manager);
  const lists: [string, Parameters<CustomerRepository["list"]>[1], Parameters<CustomerRepository["list"]>[2]][] = [
    ["first page", [], { limit: PAGE_SIZE }],
    ["filtered by tag", [{ tagIds: [tagIds[0]!] }], { limit: PAGE_SIZE }],
    ["searched by name ('ann smi')", [{ search: "ann smi" }], { limit: PAGE_SIZE }],
    ["searched by name ('mari')", [{ search: "mari" }], { limit: PAGE_SIZE }],
    ["sorted by last contact", [], { limit: PAGE_SIZE, sortBy: "lastContactAt", sortOrder: "desc" }],
  ];
  const plans: Plan[] = [];
  try {
    for (const [title, filters, params] of lists) {
      captured = [];
      await repository.list(workspaceId, filters, params);
      const statements = captured.filter((c) => /^\s*(SELECT|WITH)/i.test(c.sql));
      for (const [i, statement] of statements.entries()) {
        const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.parameters);
        plans.push({ title: `${title}: statement ${i + 1} of ${statements.length}`, sql: statement.sql, plan: rows.map((r) => r["QUERY PLAN"]) });
      }
    }
  } finally {
    await dataSource.destroy();
  }
  return plans;
}

interface ImportResult {
  rows: number;
  files: number;
  csvBytes: number;
  ms: number;
  rowsPerSecond: number;
  created: number;
  updated: number;
  errors: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
}

/**
 * `rows` new customers as CSV (e-mail, names, phone, company, country, a plan property, and 1–2
 * tags for one row in three) uploaded through the gateway as one import job (100,000 rows are
 * about 9.5 MiB: the import method's own body limit, max_request_bytes, lets it through), then
 * polled until the job finishes. The Customers process's RSS is sampled every 50 ms throughout.
 */
async function measureImport(url: string, token: string, http: JsonHttpClient, workspaceId: string, tagIds: readonly string[], customers: BenchProcess<unknown>): Promise<ImportResult> {
  const rows = config.importRows;
  const header = "email,firstName,lastName,phone,company,country,plan,tags";
  const countries = ["US", "GB", "DE", "FR", "ES", "BR", "IN", "MX"];
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const tags = i % 3 === 0 ? [tagIds[i % 20], tagIds[(i * 7 + 3) % 20]].slice(0, 1 + (i % 2)).join(";") : "";
    lines.push(`person${i}.import@example.com,First${i},Last${i % 997},+4477${String(i).padStart(8, "0")},Company ${i % 97},${countries[i % 8]},${PLANS[i % 4]},${tags}`);
  }
  const files = [lines.join("\n")];
  const mapping = [
    ...["email", "firstName", "lastName", "phone", "company", "country"].map((c) => ({ column: c, field: c })),
    { column: "plan", field: "customProperties.plan" },
    { column: "tags", field: "tags" },
  ];
  const rssBefore = readMemory(customers.pid)?.rssKiB ?? 0;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, readMemory(customers.pid)?.rssKiB ?? 0);
  }, 50);
  const began = performance.now();
  try {
    const ids: string[] = [];
    for (const [n, csv] of files.entries()) {
      const response = await fetch(`${url}/api/v1/customers/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId, "content-type": "application/json" },
        body: JSON.stringify({ csv, fileName: `bench-${n + 1}.csv`, mapping, matchBy: "email" }),
      });
      const created = (await response.json()) as { success: boolean; data: { job: { _id: string } } };
      if (!response.ok || !created.success) throw new Error(`import refused (${response.status}): ${JSON.stringify(created).slice(0, 500)}`);
      ids.push(created.data.job._id);
    }
    const totals = { created: 0, updated: 0, errors: 0 };
    for (const id of ids) {
      for (;;) {
        const { data } = (await http.get(`/api/v1/customers/imports/${id}`)) as { data: { job: { status: string; createdCount: number; updatedCount: number; errorCount: number; error: string } } };
        if (data.job.status === "JOB_STATUS_FAILED") throw new Error(`import failed: ${data.job.error}`);
        if (data.job.status === "JOB_STATUS_COMPLETED") {
          totals.created += data.job.createdCount;
          totals.updated += data.job.updatedCount;
          totals.errors += data.job.errorCount;
          break;
        }
        await new Promise((done) => setTimeout(done, 100));
      }
    }
    const ms = performance.now() - began;
    return {
      rows,
      files: files.length,
      csvBytes: files.reduce((sum, f) => sum + Buffer.byteLength(f), 0),
      ms,
      rowsPerSecond: rows / (ms / 1000),
      ...totals,
      rssBeforeMiB: Math.round(rssBefore / 1024),
      peakRssMiB: Math.round(peakRss / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

function renderReport(report: {
  loadAtStart: number[];
  loadAfterList: number[];
  loadAtEnd: number[];
  database: string;
  seedMs: number;
  results: WorkloadResult[];
  imports: ImportResult[];
  plans: Plan[];
}): string {
  const lines: string[] = [];
  lines.push(`\nCustomers through the gateway: ${fmtInt(config.customers)} customers in the measured workspace, ${config.otherWorkspaces} others of ${fmtInt(config.others)} (${report.database})`);
  lines.push(`load average at start ${fmtLoad(report.loadAtStart)}, after the lists ${fmtLoad(report.loadAfterList)}, at the end ${fmtLoad(report.loadAtEnd)}; seed ${fmtS(report.seedMs)}`);
  if (report.results.length > 0) {
    lines.push(`medians over ${config.rounds} rounds; each round ${config.samples} requests one at a time, then ${config.requests} at concurrency ${config.concurrency}; target p99 < ${TARGET_LIST_P99_MS} ms`);
    lines.push(`  ${"workload".padEnd(24)} ${"total".padStart(10)}   ${"seq p50".padStart(8)} ${"seq p99".padStart(8)}   ${`x${config.concurrency} p50`.padStart(8)} ${`x${config.concurrency} p99`.padStart(8)} ${"req/s".padStart(7)}   target`);
    for (const r of report.results) {
      const seq = medianStats(r.sequential);
      const con = medianStats(r.concurrent);
      const met = seq.p99Ms < TARGET_LIST_P99_MS && con.p99Ms < TARGET_LIST_P99_MS;
      lines.push(
        `  ${r.name.padEnd(24)} ${fmtInt(r.total).padStart(10)}   ${fmtMs(seq.p50Ms).padStart(8)} ${fmtMs(seq.p99Ms).padStart(8)}   ${fmtMs(con.p50Ms).padStart(8)} ${fmtMs(con.p99Ms).padStart(8)} ${fmtInt(con.throughput).padStart(7)}   ${met ? "met" : "MISSED"}`,
      );
    }
    for (const r of report.results) lines.push(`  ${r.name}: ${r.request}`);
  }
  for (const i of report.imports) {
    lines.push(
      `import of ${fmtInt(i.rows)} rows (${(i.csvBytes / 1024 / 1024).toFixed(1)} MiB of CSV in ${i.files} files) through the gateway: ${fmtS(i.ms)}, ${fmtInt(i.rowsPerSecond)} rows/s ` +
        `(target > ${fmtInt(TARGET_IMPORT_ROWS_PER_S)}: ${i.rowsPerSecond > TARGET_IMPORT_ROWS_PER_S ? "met" : "MISSED"}); created ${fmtInt(i.created)}, updated ${i.updated}, errors ${i.errors}; ` +
        `Customers process RSS ${i.rssBeforeMiB} MiB before, ${i.peakRssMiB} MiB at its peak`,
    );
  }
  if (report.imports.length > 1) lines.push(`import median: ${fmtInt(median(report.imports.map((i) => i.rowsPerSecond)))} rows/s`);
  for (const plan of report.plans) lines.push(`\nEXPLAIN (ANALYZE, BUFFERS) ${plan.title}\n  ${plan.sql.replace(/\s+/g, " ")}\n${plan.plan.map((l) => `    ${l}`).join("\n")}`);
  return `${lines.join("\n")}\n`;
}

function startServer<R extends CustomersBenchServer["role"]>(server: Extract<CustomersBenchServer, { role: R }>) {
  return forkBenchProcess<CustomersBenchServer, Extract<CustomersBenchStarted, { role: R }>>(SERVER_ENTRY, server);
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en");
const fmtMs = (n: number) => n.toFixed(1);
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtLoad = (load: number[]) => load.map((l) => l.toFixed(2)).join(" ");

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

process.once("SIGINT", () => {
  progress("interrupted: stopping");
  void stopAll().finally(() => process.exit(130));
});

run()
  .catch((error: unknown) => {
    progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => stopAll());
