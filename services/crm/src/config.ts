import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadJobsConfig, loadServerConfig, loadServiceManifest, type EventBusConfig, type JobsConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";

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
    jobs: loadJobsConfig(read, "CRM"),
  });
}
