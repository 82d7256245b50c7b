import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadJobsConfig, loadServerConfig, loadServiceManifest, type EventBusConfig, type JobsConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";

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
    // A batch's calls to Tags number about one per tag used in it, whatever its size: larger
    // batches make fewer calls per row (and fewer commits).
    jobs: loadJobsConfig(read, "CUSTOMERS", { importBatchRows: 2000 }),
  });
}
