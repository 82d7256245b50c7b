import { createEventBus, createLogger, createServiceMetrics, runMain, startService, type RunningService } from "@velaflows/kit";
import { createPropertiesPort } from "./clients/custom-properties-client";
import { createCustomersPort } from "./clients/customers-client";
import { createTagsPort } from "./clients/tags-client";
import { loadConfig } from "./config";
import { startLeadJobRunner } from "./domain/lead-job-runner";
import { createCrmDataSource } from "./persistence/data-source";
import { createCrmStore } from "./persistence/crm-store";
import { createCrmService } from "./service";

/** Wires and starts the CRM service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const dataSource = createCrmDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  const customers = createCustomersPort(config.customersAddress);
  const tags = createTagsPort(config.tagsAddress);
  const properties = createPropertiesPort(config.customPropertiesAddress);
  const store = createCrmStore(dataSource);
  const deps = { customers, tags, properties };
  const service = await startService({
    manifest,
    config: server,
    logger,
    metrics: createServiceMetrics(manifest.name),
    dataSource,
    bus: createEventBus(config.events, logger),
    services: [createCrmService(store, deps)],
  });
  // After startService: the job tables are migrated by now.
  const jobs = config.jobs.enabled ? startLeadJobRunner(store, deps, config.jobs, logger) : undefined;
  return {
    ...service,
    async stop() {
      await jobs?.stop();
      await service.stop();
      customers.close();
      tags.close();
      properties.close();
    },
  };
}

if (require.main === module) runMain(() => main());
