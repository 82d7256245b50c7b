import type { EnvReader } from "../config/env";

/** How a service's background import and export runner works; every setting is `<PREFIX>_...`. */
export interface JobsConfig {
  /** `<PREFIX>_JOB_POLL_MS`: how often an idle runner looks for queued jobs (default 500). */
  pollMs: number;
  /** `<PREFIX>_JOB_STALE_MS`: a running job whose heartbeat is older is resumed by another runner (default 30000). */
  staleMs: number;
  /** `<PREFIX>_IMPORT_BATCH_ROWS`: rows per import transaction (default 500, or the service's). */
  importBatchRows: number;
  /** `<PREFIX>_EXPORT_BATCH_ROWS`: rows per export chunk (default 1000, or the service's). */
  exportBatchRows: number;
  /** `<PREFIX>_JOB_MAX_ATTEMPTS`: claims of one job before it is failed (default 3). */
  maxAttempts: number;
  /** `<PREFIX>_JOBS_ENABLED`: run jobs in this replica (default true). */
  enabled: boolean;
}

/**
 * The job runner's settings of the service whose variables start with `prefix` ("CRM"); `defaults`
 * replaces the kit's default of a setting for this service (a row cheap to import takes larger batches).
 */
export function loadJobsConfig(read: EnvReader, prefix: string, defaults: Partial<Pick<JobsConfig, "importBatchRows" | "exportBatchRows">> = {}): Readonly<JobsConfig> {
  return Object.freeze({
    pollMs: read.int(`${prefix}_JOB_POLL_MS`, 500),
    staleMs: read.int(`${prefix}_JOB_STALE_MS`, 30_000),
    importBatchRows: read.int(`${prefix}_IMPORT_BATCH_ROWS`, defaults.importBatchRows ?? 500),
    exportBatchRows: read.int(`${prefix}_EXPORT_BATCH_ROWS`, defaults.exportBatchRows ?? 1000),
    maxAttempts: read.int(`${prefix}_JOB_MAX_ATTEMPTS`, 3),
    enabled: read.bool(`${prefix}_JOBS_ENABLED`, true),
  });
}
