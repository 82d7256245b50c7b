import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadServerConfig, loadServiceManifest, type EventBusConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";

/** How the import and export runner works. */
export interface JobsConfig {
  /** CUSTOMERS_JOB_POLL_MS: how often an idle runner looks for queued jobs (default 500). */
  pollMs: number;
  /** CUSTOMERS_JOB_STALE_MS: a running job whose heartbeat is older is resumed by another runner (default 30000). */
  staleMs: number;
  /** CUSTOMERS_IMPORT_BATCH_ROWS: rows per import transaction (default 500). */
  importBatchRows: number;
  /** CUSTOMERS_EXPORT_BATCH_ROWS: customers per export chunk (default 1000). */
  exportBatchRows: number;
  /** CUSTOMERS_JOB_MAX_ATTEMPTS: claims of one job before it is failed (default 3). */
  maxAttempts: number;
  /** CUSTOMERS_JOBS_ENABLED: run jobs in this replica (default true). */
  enabled: boolean;
}

/** Everything the Customers service reads from its environment and manifest. */
export interface CustomersConfig {
  manifest: ServiceManifest;
  server: ServerConfig;
  /** AMQP_URL: RabbitMQ, else the process's in-process bus. */
  events: EventBusConfig;
  /** TAGS_ADDR: the Tags service (default 127.0.0.1:50104, its port under `npm start`). */
  tagsAddress: string;
  /** CUSTOM_PROPERTIES_ADDR: the Custom Properties service (default 127.0.0.1:50103). */
  customPropertiesAddress: string;
  jobs: JobsConfig;
}

/** The only reader of the environment in this service. */
export function loadConfig(env: NodeJS.ProcessEnv): CustomersConfig {
  const manifest = loadServiceManifest(join(__dirname, "..", "service.yaml"));
  const read = createEnvReader(env);
  return Object.freeze({
    manifest,
    server: Object.freeze(loadServerConfig(env, manifest)),
    events: Object.freeze(loadEventBusConfig(env)),
    tagsAddress: read.string("TAGS_ADDR", "127.0.0.1:50104"),
    customPropertiesAddress: read.string("CUSTOM_PROPERTIES_ADDR", "127.0.0.1:50103"),
    jobs: Object.freeze({
      pollMs: read.int("CUSTOMERS_JOB_POLL_MS", 500),
      staleMs: read.int("CUSTOMERS_JOB_STALE_MS", 30_000),
      importBatchRows: read.int("CUSTOMERS_IMPORT_BATCH_ROWS", 500),
      exportBatchRows: read.int("CUSTOMERS_EXPORT_BATCH_ROWS", 1000),
      maxAttempts: read.int("CUSTOMERS_JOB_MAX_ATTEMPTS", 3),
      enabled: read.bool("CUSTOMERS_JOBS_ENABLED", true),
    }),
  });
}
