import { createEventBus, createLogger, createServiceMetrics, runMain, startService, subscribeEvents, type RunningService } from "@velaflows/kit";
import { loadConfig } from "./config";
import { enqueueEventDeliveries } from "./domain/deliveries";
import { createDeliveryWorker } from "./domain/delivery-worker";
import { createIntegrationsDataSource } from "./persistence/data-source";
import { createIntegrationsStore } from "./persistence/integrations-store";
import { createIntegrationsService } from "./service";

/** Wires and starts the Integrations service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const metrics = createServiceMetrics(manifest.name);
  const dataSource = createIntegrationsDataSource({ url: server.databaseUrl, schema: config.databaseSchema, poolSize: server.databasePoolSize });
  const store = createIntegrationsStore(dataSource, config.databaseSchema);
  const bus = createEventBus(config.events, logger);
  const rules = {
    policy: { requireHttps: config.webhooks.requireHttps, allowPrivateTargets: config.webhooks.allowPrivateTargets },
    maxSubscriptionsPerWorkspace: config.webhooks.maxSubscriptionsPerWorkspace,
  };
  const worker = createDeliveryWorker({ store, config: config.webhooks, logger, registry: metrics.registry });
  const running = await startService({
    manifest,
    config: server,
    logger,
    metrics,
    dataSource,
    bus,
    services: [createIntegrationsService({ store, rules, worker })],
  });
  // Every event of the platform, on one durable queue per schema: each becomes a delivery row
  // per matching subscription of its workspace, which the worker then sends.
  let consumer;
  try {
    consumer = await subscribeEvents(bus, {
      queue: config.eventQueue,
      patterns: ["#"],
      dataSource,
      logger,
      metrics,
      handler: async (envelope, manager) => {
        if ((await enqueueEventDeliveries(store.unitOf(manager), envelope)) > 0) setTimeout(worker.wake, 0);
      },
    });
  } catch (error) {
    await running.stop();
    throw error;
  }
  worker.start();
  return {
    ...running,
    async stop() {
      await consumer.close();
      await worker.stop();
      await running.stop();
    },
  };
}

if (require.main === module) runMain(() => main());
