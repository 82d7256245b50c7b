// Measures a CSV import end to end: `npx tsx --tsconfig ../../tsconfig.base.json
// --conditions=@velaflows/source scripts/import-bench.ts [rows]` (10,000 by default). Starts the
// embedded PostgreSQL (or uses DATABASE_URL), Tags, Custom Properties and Customers in this process,
// uploads one CSV and reports the rows per second and this process's peak RSS and heap while the
// job runs (the file itself is held once, as the job's stored content).
import { Pool } from "pg";
import { startEmbeddedPostgres } from "@velaflows/embedded-postgres";
import { createServiceClient } from "@velaflows/kit";
import { CustomersServiceClient, CreateImportJobRequest, GetImportJobRequest, JobStatus } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { newWorkspaceId, startTestService, workspaceMetadata } from "@velaflows/testing";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startTags } from "@velaflows/tags";
import { main as startCustomers } from "../src/main";

async function run(): Promise<void> {
  const rows = Number(process.argv[2] ?? 10_000);
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
  const lines = ["email,firstName,lastName,phone,company,country"];
  for (let i = 0; i < rows; i++) lines.push(`person${i}@example.com,First${i},Last${i},+1555${String(i).padStart(7, "0")},Company ${i % 97},US`);
  const csv = lines.join("\n");
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
  close();
  if (!embedded) {
    // A shared PostgreSQL keeps no rows of the measurement (npm run bench:customers does the same).
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    for (const table of ["customer_keys", "timeline_entries", "import_jobs", "customers", "outbox_events"]) {
      await pool.query(`DELETE FROM "customers"."${table}" WHERE "workspace_id" = $1`, [workspaceId]);
    }
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
