// Measures a CSV import end to end: `npx tsx --tsconfig ../../tsconfig.base.json
// --conditions=@velaflows/source scripts/import-bench.ts [rows]` (10,000 by default). Starts the
// embedded PostgreSQL (or uses DATABASE_URL), Tags, Custom Properties and Customers in this process,
// uploads one CSV of the shape of `npm run bench:customers` (a select property `plan` on every row,
// one or two of 20 tags on one row in three) and reports the rows per second and this process's
// peak RSS and heap while the job runs (the file itself is held once, as the job's stored content).
// IMPORT_BENCH_SQL=1 adds the time spent in each kind of SQL statement (from send to answer).
import { Client, Pool } from "pg";
import { startEmbeddedPostgres } from "@velaflows/embedded-postgres";
import { createServiceClient } from "@velaflows/kit";
import { CreatePropertyRequest, CustomPropertiesServiceClient } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { CreateTagRequest, TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { CustomersServiceClient, CreateImportJobRequest, GetImportJobRequest, JobStatus } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { newWorkspaceId, startTestService, workspaceMetadata } from "@velaflows/testing";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startTags } from "@velaflows/tags";
import { main as startCustomers } from "../src/main";

const PLANS = ["free", "starter", "pro", "enterprise"];

/** Time per kind of statement (its first words), when IMPORT_BENCH_SQL is set. */
function timeStatements(): Map<string, { count: number; ms: number }> {
  const spent = new Map<string, { count: number; ms: number }>();
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "");
    const kind = text.replace(/\s+/g, " ").trim().slice(0, 90);
    const started = performance.now();
    const result = query.apply(this, args);
    if (result instanceof Promise) {
      void result.finally(() => {
        const entry = spent.get(kind) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        spent.set(kind, entry);
      }).catch(() => undefined);
    }
    return result;
  } as typeof Client.prototype.query;
  return spent;
}

async function run(): Promise<void> {
  const rows = Number(process.argv[2] ?? 10_000);
  const statements = process.env.IMPORT_BENCH_SQL ? timeStatements() : undefined;
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ maxConnections: 50 });
  if (embedded) process.env.DATABASE_URL = embedded.url;
  const tags = await startTestService("tags", startTags);
  const properties = await startTestService("custom-properties", startCustomProperties);
  const customers = await startTestService("customers", startCustomers, {
    TAGS_ADDR: tags.grpcAddress,
    CUSTOM_PROPERTIES_ADDR: properties.grpcAddress,
    CUSTOMERS_JOB_POLL_MS: "50",
  });
  const { call, close } = createServiceClient(CustomersServiceClient, customers.grpcAddress, { defaultDeadlineMs: 60_000 });
  const workspaceId = newWorkspaceId();
  const metadata = workspaceMetadata(workspaceId);
  const tagsClient = createServiceClient(TagsServiceClient, tags.grpcAddress);
  const tagIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    tagIds.push((await tagsClient.call.createTag(CreateTagRequest.fromPartial({ name: `bench-${i}`, color: "#22c55e", entityTypes: ["customer"] }), { metadata })).tag!.id);
  }
  tagsClient.close();
  const propertiesClient = createServiceClient(CustomPropertiesServiceClient, properties.grpcAddress);
  const plan = CreatePropertyRequest.fromPartial({ entityType: "customer", key: "plan", label: "Plan", type: "select", options: PLANS.map((p) => ({ value: p, label: p })) });
  await propertiesClient.call.createProperty(plan, { metadata });
  propertiesClient.close();
  const lines = ["email,firstName,lastName,phone,company,country,plan,tags"];
  for (let i = 0; i < rows; i++) {
    const rowTags = i % 3 === 0 ? [tagIds[i % 20], tagIds[(i * 7 + 3) % 20]].slice(0, 1 + (i % 2)).join(";") : "";
    lines.push(`person${i}@example.com,First${i},Last${i % 997},+4477${String(i).padStart(8, "0")},Company ${i % 97},US,${PLANS[i % 4]},${rowTags}`);
  }
  const csv = lines.join("\n");
  statements?.clear();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 50);
  const started = performance.now();
  const { job } = await call.createImportJob(CreateImportJobRequest.fromPartial({ csv }), { metadata });
  let current = job!;
  while (current.status !== JobStatus.JOB_STATUS_COMPLETED && current.status !== JobStatus.JOB_STATUS_FAILED) {
    await new Promise((r) => setTimeout(r, 200));
    current = (await call.getImportJob(GetImportJobRequest.fromPartial({ id: job!.id }), { metadata })).job!;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(0);
  process.stdout.write(
    `${embedded ? "embedded PostgreSQL (PGlite)" : "PostgreSQL at DATABASE_URL"}: ${rows} rows (${(csv.length / 1024).toFixed(0)} KiB) ` +
      `${current.status === JobStatus.JOB_STATUS_COMPLETED ? "completed" : `failed: ${current.error}`} in ${seconds.toFixed(1)} s, ` +
      `${(rows / seconds).toFixed(0)} rows/s; created ${current.createdCount}, errors ${current.errorCount}; ` +
      `process RSS ${mib(baseline.rss)} → peak ${mib(peakRss)} MiB, heap ${mib(baseline.heapUsed)} → peak ${mib(peakHeap)} MiB\n`,
  );
  if (statements) {
    for (const [kind, { count, ms }] of [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
      process.stdout.write(`${(ms / 1000).toFixed(2).padStart(7)} s ${String(count).padStart(6)}× ${kind}\n`);
    }
  }
  close();
  if (!embedded) {
    // A shared PostgreSQL keeps no rows of the measurement (npm run bench:customers does the same).
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    const tables = [
      ...["customer_keys", "timeline_entries", "import_errors", "import_jobs", "customers", "customer_totals", "outbox_events"].map((t) => `"customers"."${t}"`),
      ...["tag_assignments", "tags", "outbox_events"].map((t) => `"tags"."${t}"`),
      ...["properties", "outbox_events"].map((t) => `"custom_properties"."${t}"`),
    ];
    for (const table of tables) await pool.query(`DELETE FROM ${table} WHERE "workspace_id" = $1`, [workspaceId]);
    await pool.end();
  }
  await customers.stop();
  await properties.stop();
  await tags.stop();
  await embedded?.stop();
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
