import { startJobRunner as startKitJobRunner, type JobsConfig, type Logger } from "@velaflows/kit";
import type { CustomersStore } from "../persistence/customers-store";
import { toExportJobProto, toImportJobProto } from "../persistence/customer.mapper";
import { exportFinished, importFinished } from "./customer-events";
import type { CustomerDependencies } from "./dependencies";
import { runExport } from "./exports";
import { runImport } from "./imports";

/** Runs queued import and export jobs with the kit's runner (claimed from PostgreSQL, resumed from their checkpoint). */
export function startJobRunner(store: CustomersStore, deps: CustomerDependencies, config: JobsConfig, logger: Logger): { stop(): Promise<void> } {
  const failed = { status: "failed" as const, heartbeatAt: null };
  return startKitJobRunner(
    [
      {
        name: "import",
        claim: () => store.transaction((unit) => unit.jobs.claim("import", config.staleMs)),
        run: (job, shouldStop) => runImport(store, deps, job.workspaceId, job.id, config.importBatchRows, shouldStop),
        fail: ({ workspaceId, id }, error) =>
          store.transaction(async (unit) => {
            await unit.jobs.updateImport(workspaceId, id, { ...failed, finishedAt: new Date(), error, content: "" });
            const job = await unit.jobs.findImport(workspaceId, id);
            if (job) await unit.publish([importFinished(workspaceId, { job: toImportJobProto(job) })]);
          }),
      },
      {
        name: "export",
        claim: () => store.transaction((unit) => unit.jobs.claim("export", config.staleMs)),
        run: (job, shouldStop) => runExport(store, job.workspaceId, job.id, config.exportBatchRows, shouldStop),
        fail: ({ workspaceId, id }, error) =>
          store.transaction(async (unit) => {
            await unit.jobs.updateExport(workspaceId, id, { ...failed, finishedAt: new Date(), error });
            const job = await unit.jobs.findExport(workspaceId, id);
            if (job) await unit.publish([exportFinished(workspaceId, { job: toExportJobProto(job) })]);
          }),
      },
    ],
    { pollMs: config.pollMs, maxAttempts: config.maxAttempts, logger },
  );
}
