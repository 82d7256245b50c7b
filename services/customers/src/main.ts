import {
  createEventBus,
  createLogger,
  createServiceMetrics,
  followPropertyDefinitionEvents,
  runMain,
  startService,
  subscribeEvents,
  type RunningService,
} from "@velaflows/kit";
import { createPropertiesPort } from "./clients/custom-properties-client";
import { createTagsPort } from "./clients/tags-client";
import { loadConfig } from "./config";
import { applyConsumedEvent, CONSUMED_EVENT_PATTERNS, prepareConsumedEvent } from "./domain/consumed-events";
import { startJobRunner } from "./domain/job-runner";
import { createCustomersDataSource } from "./persistence/data-source";
import { createCustomersStore } from "./persistence/customers-store";
import { createCustomersService } from "./service";

/** Wires and starts the Customers service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const metrics = createServiceMetrics(manifest.name);
  const dataSource = createCustomersDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  const store = createCustomersStore(dataSource);
  const tags = createTagsPort(config.tagsAddress);
  const properties = createPropertiesPort(config.customPropertiesAddress);
  const deps = { tags, properties };
  const bus = createEventBus(config.events, logger);
  const service = await startService({
    manifest,
    config: server,
    logger,
    metrics,
    dataSource,
    bus,
    services: [createCustomersService(store, deps)],
  });
  // After startService: the schema (processed_events included) is migrated by now.
  const subscription = await subscribeEvents(bus, {
    queue: "customers.events",
    patterns: CONSUMED_EVENT_PATTERNS,
    dataSource,
    logger,
    metrics,
    prepare: (envelope) => prepareConsumedEvent(tags, envelope),
    handler: (envelope, manager, _info, tagsNow) => applyConsumedEvent(store.unitOf(manager), envelope, tagsNow),
  });
  // Every replica forgets stale definitions itself: a broadcast, not the competing queue above.
  const definitions = await followPropertyDefinitionEvents(bus, manifest.name, properties.definitionsCache);
  const jobs = config.jobs.enabled ? startJobRunner(store, deps, config.jobs, logger) : undefined;
  return {
    ...service,
    async stop() {
      await jobs?.stop();
      await subscription.close();
      await definitions.close();
      await service.stop();
      tags.close();
      properties.close();
    },
  };
}

if (require.main === module) runMain(() => main());
