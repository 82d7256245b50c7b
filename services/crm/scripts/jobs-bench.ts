// Measures a leads import and an export job end to end: `npx tsx --tsconfig ../../tsconfig.base.json
// --conditions=@velaflows/source scripts/jobs-bench.ts [rows]` (10,000 by default). Uses DATABASE_URL
// (else the embedded PostgreSQL), starts Tags, Custom Properties and CRM in this process, imports
// one CSV into a fresh workspace, exports it, reports rows per second and peak RSS and heap, and
// deletes the workspace's CRM rows afterwards.
import { Client } from "pg";
import { startEmbeddedPostgres } from "@velaflows/embedded-postgres";
import { createServiceClient } from "@velaflows/kit";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { CrmServiceClient, JobStatus, type LeadExportJob, type LeadImportJob } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import { main as startTags } from "@velaflows/tags";
import { newWorkspaceId, startTestService, workspaceMetadata } from "@velaflows/testing";
import { main as startCrm } from "../src/main";

async function run(): Promise<void> {
  const rows = Number(process.argv[2] ?? 10_000);
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ maxConnections: 50 });
  if (embedded) process.env.DATABASE_URL = embedded.url;
  const tags = await startTestService("tags", startTags);
  const properties = await startTestService("custom-properties", startCustomProperties);
  const crm = await startTestService("crm", startCrm, { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress, CRM_JOB_POLL_MS: "50" });
  const { call, close } = createServiceClient(CrmServiceClient, crm.grpcAddress, { defaultDeadlineMs: 60_000 });
  const workspaceId = newWorkspaceId();
  const metadata = workspaceMetadata(workspaceId);
  const lines = ["email,firstName,lastName,phone,company,value,currency,country"];
  for (let i = 0; i < rows; i++) lines.push(`person${i}@example.com,First${i},Last${i},+1555${String(i).padStart(7, "0")},Company ${i % 97},${i * 100},USD,US`);
  const csv = lines.join("\n");
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 50);
  const finished = (status: JobStatus) => status === JobStatus.JOB_STATUS_COMPLETED || status === JobStatus.JOB_STATUS_FAILED;
  const wait = async <T extends LeadImportJob | LeadExportJob>(first: T, read: () => Promise<T>): Promise<T> => {
    let job = first;
    while (!finished(job.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = await read();
    }
    return job;
  };

  let started = performance.now();
  const { job: queued } = await call.createLeadImportJob({ csv, fileName: "", pipelineId: "", mapping: [], upsertKey: "", dryRun: false }, { metadata });
  const imported = await wait(queued!, async () => (await call.getLeadImportJob({ id: queued!.id }, { metadata })).job!);
  const importSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const { job: exportQueued } = await call.createLeadExportJob({}, { metadata });
  const exported = await wait(exportQueued!, async () => (await call.getLeadExportJob({ id: exportQueued!.id }, { metadata })).job!);
  const { file } = await call.downloadLeadExport({ id: exported.id }, { metadata });
  const exportSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(0);
  process.stdout.write(
    `${embedded ? "embedded PostgreSQL (PGlite)" : "PostgreSQL at DATABASE_URL"}: import of ${rows} rows (${(csv.length / 1024).toFixed(0)} KiB) ` +
      `${imported.status === JobStatus.JOB_STATUS_COMPLETED ? "completed" : `failed: ${imported.error}`} in ${importSeconds.toFixed(1)} s (${(rows / importSeconds).toFixed(0)} rows/s), ` +
      `created ${imported.createdCount}, errors ${imported.errorCount}; export of ${exported.exportedRows} leads (${(file!.data.length / 1024).toFixed(0)} KiB) in ${exportSeconds.toFixed(1)} s; ` +
      `process peak RSS ${mib(peakRss)} MiB, heap ${mib(peakHeap)} MiB\n`,
  );
  close();
  await crm.stop();
  await properties.stop();
  await tags.stop();
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  for (const table of ["export_jobs", "import_jobs", "stage_changes", "leads", "stage_totals", "stages", "pipelines"]) {
    await db.query(`DELETE FROM "crm"."${table}" WHERE "workspace_id" = $1`, [workspaceId]);
  }
  await db.end();
  await embedded?.stop();
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
