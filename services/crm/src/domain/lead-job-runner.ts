import { startJobRunner, type JobsConfig, type Logger } from "@velaflows/kit";
import type { CrmStore } from "../persistence/crm-store";
import type { CrmDependencies } from "./dependencies";
import { runLeadExport } from "./lead-exports";
import { runLeadImport } from "./lead-imports";

/** Runs queued leads imports and exports with the kit's runner (claimed from PostgreSQL, resumed from their checkpoint). */
export function startLeadJobRunner(store: CrmStore, deps: CrmDependencies, config: JobsConfig, logger: Logger): { stop(): Promise<void> } {
  return startJobRunner(
    [
      {
        name: "import",
        claim: () => store.transaction((unit) => unit.jobs.claim("import", config.staleMs)),
        run: (job, shouldStop) => runLeadImport(store, deps, job.workspaceId, job.id, config.importBatchRows, shouldStop),
        fail: ({ workspaceId, id }, error) =>
          store.transaction((unit) => unit.jobs.updateImport(workspaceId, id, { status: "failed", error, finishedAt: new Date(), heartbeatAt: null, content: "" })),
      },
      {
        name: "export",
        claim: () => store.transaction((unit) => unit.jobs.claim("export", config.staleMs)),
        run: (job, shouldStop) => runLeadExport(store, job.workspaceId, job.id, config.exportBatchRows, shouldStop),
        fail: ({ workspaceId, id }, error) =>
          store.transaction((unit) => unit.jobs.updateExport(workspaceId, id, { status: "failed", error, finishedAt: new Date(), heartbeatAt: null })),
      },
    ],
    { pollMs: config.pollMs, maxAttempts: config.maxAttempts, logger },
  );
}
