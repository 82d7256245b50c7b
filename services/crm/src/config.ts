import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadServerConfig, loadServiceManifest, type EventBusConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";

/** How the leads import and export runner works. */
export interface JobsConfig {
  /** CRM_JOB_POLL_MS: how often an idle runner looks for queued jobs (default 500). */
  pollMs: number;
  /** CRM_JOB_STALE_MS: a running job whose heartbeat is older is resumed by another runner (default 30000). */
  staleMs: number;
  /** CRM_IMPORT_BATCH_ROWS: rows per import transaction (default 500). */
  importBatchRows: number;
  /** CRM_EXPORT_BATCH_ROWS: leads per export chunk (default 1000). */
  exportBatchRows: number;
  /** CRM_JOB_MAX_ATTEMPTS: claims of one job before it is failed (default 3). */
  maxAttempts: number;
  /** CRM_JOBS_ENABLED: run jobs in this replica (default true). */
  enabled: boolean;
}

/** Everything the CRM service reads from its environment and manifest. */
export interface CrmConfig {
  manifest: ServiceManifest;
  server: ServerConfig;
  /** AMQP_URL: RabbitMQ, else the process's in-process bus. */
  events: EventBusConfig;
  /** CUSTOMERS_ADDR: the Customers service (default 127.0.0.1:50114, its port under `npm start`). */
  customersAddress: string;
  /** TAGS_ADDR: the Tags service, which owns the tags a lead carries (default 127.0.0.1:50104). */
  tagsAddress: string;
  /** CUSTOM_PROPERTIES_ADDR: the Custom Properties service, which checks a lead's property values (default 127.0.0.1:50103). */
  customPropertiesAddress: string;
  jobs: JobsConfig;
}

/** The only reader of the environment in this service. */
export function loadConfig(env: NodeJS.ProcessEnv): CrmConfig {
  const manifest = loadServiceManifest(join(__dirname, "..", "service.yaml"));
  const read = createEnvReader(env);
  return Object.freeze({
    manifest,
    server: Object.freeze(loadServerConfig(env, manifest)),
    events: Object.freeze(loadEventBusConfig(env)),
    customersAddress: read.string("CUSTOMERS_ADDR", "127.0.0.1:50114"),
    tagsAddress: read.string("TAGS_ADDR", "127.0.0.1:50104"),
    customPropertiesAddress: read.string("CUSTOM_PROPERTIES_ADDR", "127.0.0.1:50103"),
    jobs: Object.freeze({
      pollMs: read.int("CRM_JOB_POLL_MS", 500),
      staleMs: read.int("CRM_JOB_STALE_MS", 30_000),
      importBatchRows: read.int("CRM_IMPORT_BATCH_ROWS", 500),
      exportBatchRows: read.int("CRM_EXPORT_BATCH_ROWS", 1000),
      maxAttempts: read.int("CRM_JOB_MAX_ATTEMPTS", 3),
      enabled: read.bool("CRM_JOBS_ENABLED", true),
    }),
  });
}
