import { createEventBus, createLogger, createServiceMetrics, runMain, startService, type RunningService } from "@velaflows/kit";
import { loadConfig } from "./config";
import { createCustomPropertiesDataSource } from "./persistence/data-source";
import { createPropertiesStore } from "./persistence/properties-store";
import { createCustomPropertiesInternalService, createCustomPropertiesService } from "./service";

/** Wires and starts the Custom Properties service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const dataSource = createCustomPropertiesDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  const store = createPropertiesStore(dataSource);
  return startService({
    manifest,
    config: server,
    logger,
    metrics: createServiceMetrics(manifest.name),
    dataSource,
    bus: createEventBus(config.events, logger),
    services: [createCustomPropertiesService(store), createCustomPropertiesInternalService(store)],
  });
}

if (require.main === module) runMain(() => main());
