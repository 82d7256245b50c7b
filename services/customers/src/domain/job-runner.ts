import type { Logger } from "@velaflows/kit";
import type { JobsConfig } from "../config";
import type { CustomersStore } from "../persistence/customers-store";
import { toExportJobProto, toImportJobProto } from "../persistence/customer.mapper";
import { exportFinished, importFinished } from "./customer-events";
import type { CustomerDependencies } from "./dependencies";
import { runExport } from "./exports";
import { JobInterrupted, runImport } from "./imports";

/**
 * Runs queued import and export jobs, one at a time per replica. Jobs are claimed from PostgreSQL
 * (queued, or running with a stale heartbeat: their runner stopped), so a restart resumes them
 * from their checkpoint; a job claimed more than `maxAttempts` times, or failing with an error
 * that is not about one row, is failed with that error.
 */
export function startJobRunner(store: CustomersStore, deps: CustomerDependencies, config: JobsConfig, logger: Logger): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let worked = false;
      try {
        worked = (await runOne("import")) || (await runOne("export"));
      } catch (error) {
        logger.error({ err: error }, "job runner iteration failed");
      }
      if (!worked && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, config.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  async function runOne(kind: "import" | "export"): Promise<boolean> {
    const claimed = await store.transaction((unit) => unit.jobs.claim(kind, config.staleMs));
    if (!claimed) return false;
    const { workspaceId, id, attempts } = claimed;
    try {
      if (attempts > config.maxAttempts) throw new Error(`gave up after ${config.maxAttempts} attempts`);
      if (kind === "import") await runImport(store, deps, workspaceId, id, config.importBatchRows, () => stopped);
      else await runExport(store, workspaceId, id, config.exportBatchRows, () => stopped);
      logger.info({ workspace_id: workspaceId, job_id: id, kind }, "job completed");
    } catch (error) {
      if (error instanceof JobInterrupted) {
        logger.info({ workspace_id: workspaceId, job_id: id, kind }, "job interrupted by shutdown; it resumes from its checkpoint");
        return true;
      }
      logger.error({ err: error, workspace_id: workspaceId, job_id: id, kind }, "job failed");
      await fail(kind, workspaceId, id, error instanceof Error ? error.message : String(error));
    }
    return true;
  }

  async function fail(kind: "import" | "export", workspaceId: string, id: string, message: string): Promise<void> {
    await store.transaction(async (unit) => {
      const patch = { status: "failed" as const, error: message.slice(0, 1000), finishedAt: new Date(), heartbeatAt: null };
      if (kind === "import") {
        await unit.jobs.updateImport(workspaceId, id, { ...patch, content: "" });
        const job = await unit.jobs.findImport(workspaceId, id);
        if (job) await unit.publish([importFinished(workspaceId, { job: toImportJobProto(job) })]);
      } else {
        await unit.jobs.updateExport(workspaceId, id, patch);
        const job = await unit.jobs.findExport(workspaceId, id);
        if (job) await unit.publish([exportFinished(workspaceId, { job: toExportJobProto(job) })]);
      }
    });
  }

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
