import { createEventBus, createLogger, createServiceMetrics, runMain, startService, type RunningService } from "@velaflows/kit";
import { loadConfig } from "./config";
import { createTagsDataSource } from "./persistence/data-source";
import { createTagsStore } from "./persistence/tags-store";
import { createTagsService } from "./service";

/** Wires and starts the Tags service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const dataSource = createTagsDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  return startService({
    manifest,
    config: server,
    logger,
    metrics: createServiceMetrics(manifest.name),
    dataSource,
    bus: createEventBus(config.events, logger),
    services: [createTagsService(createTagsStore(dataSource))],
  });
}

if (require.main === module) runMain(() => main());
