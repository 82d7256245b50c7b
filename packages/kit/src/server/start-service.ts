import { readFileSync } from "node:fs";
import { Server, ServerCredentials, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { descriptorSetPath } from "@velaflows/proto/descriptors";
import type { ServiceManifest } from "../config/service-manifest";
import { runMigrations } from "../database/data-source";
import type { EventBus } from "../events/event-bus";
import { createOutboxRelay, type OutboxRelay } from "../events/outbox-relay";
import { registerPoolMetrics } from "../metrics/pool-metrics";
import type { ServiceMetrics } from "../metrics/service-metrics";
import { implementService, maxReceiveBytesOf, type GrpcServiceDefinition, type UnaryHandlers } from "../rpc/implement-service";
import type { Interceptor } from "../rpc/interceptor";
import { deadlineInterceptor } from "../rpc/interceptors/deadline";
import { observeInterceptor } from "../rpc/interceptors/observe";
import { validationInterceptor } from "../rpc/interceptors/validation";
import { workspaceInterceptor } from "../rpc/interceptors/workspace";
import { startOpsHttpServer } from "./ops-http-server";
import type { ServerConfig } from "./server-config";

/** One gRPC service to serve: its ts-proto definition and one handler per RPC. */
export interface ServiceBinding<D extends GrpcServiceDefinition = GrpcServiceDefinition> {
  definition: D;
  handlers: UnaryHandlers<D>;
}

/** Pairs a definition with its handlers, checking the handlers against the definition. */
export function bindService<D extends GrpcServiceDefinition>(definition: D, handlers: UnaryHandlers<D>): ServiceBinding {
  return { definition, handlers } as unknown as ServiceBinding;
}

/** What {@link startService} needs. */
export interface StartServiceOptions {
  manifest: ServiceManifest;
  config: ServerConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Initialised and migrated before the service reports SERVING; destroyed on stop. */
  dataSource?: DataSource;
  services: ServiceBinding[];
  /** Run after every kit interceptor, innermost last. */
  interceptors?: Interceptor[];
  /**
   * The event bus (see `createEventBus`). With a data source, an outbox relay publishes the
   * service's outbox to it from SERVING until stop; the bus is closed on stop.
   */
  bus?: EventBus;
  /** Outbox relay poll interval when the outbox is empty; 200 ms by default. */
  outboxPollIntervalMs?: number;
}

/** A started service. */
export interface RunningService {
  name: string;
  /** "127.0.0.1:50051" style address of the gRPC port. */
  grpcAddress: string;
  grpcPort: number;
  httpPort: number;
  /** Graceful stop: NOT_SERVING, drain, finish in-flight calls (then cancel), close the pool. */
  stop(): Promise<void>;
}

/**
 * Starts a service: gRPC server with health (NOT_SERVING until the database is migrated) and
 * reflection, the ops HTTP port, and every handler behind the kit's interceptors (metrics and
 * logging, deadline, workspace, validation). Resolves once the service is SERVING.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { manifest, config, logger, metrics } = options;
  const health = new HealthImplementation({ "": "NOT_SERVING", ...Object.fromEntries(manifest.grpcServices.map((s) => [s, "NOT_SERVING"])) });
  const setHealth = (status: "SERVING" | "NOT_SERVING") => {
    health.setStatus("", status);
    for (const service of manifest.grpcServices) health.setStatus(service, status);
  };
  let ready = false;

  const server = new Server({
    "grpc.max_connection_age_ms": 5 * 60_000,
    "grpc.keepalive_time_ms": 60_000,
    "grpc.max_receive_message_length": maxReceiveBytesOf(options.services.map((binding) => binding.definition)),
  });
  health.addToServer(server);
  new ReflectionService(loadFileDescriptorSetFromBuffer(readFileSync(descriptorSetPath))).addToServer(server);
  const interceptors = [
    observeInterceptor(metrics),
    deadlineInterceptor(config.maxCallMs),
    workspaceInterceptor,
    validationInterceptor,
    ...(options.interceptors ?? []),
  ];
  for (const binding of options.services) {
    const implementation: UntypedServiceImplementation = implementService(binding.definition, binding.handlers, { logger, interceptors });
    server.addService(binding.definition as never, implementation);
  }

  const grpcPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.host}:${config.grpcPort}`, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  const ops = await startOpsHttpServer({ host: config.host, port: config.httpPort, registry: metrics.registry, isReady: () => ready });
  if (options.dataSource && !metrics.registry.getSingleMetric("db_client_connection_count")) registerPoolMetrics(metrics.registry, options.dataSource, manifest.name);

  const stopServer = async () => {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, config.shutdownTimeoutMs);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    await ops.close();
  };

  try {
    if (options.dataSource) {
      if (!options.dataSource.isInitialized) await options.dataSource.initialize();
      await runMigrations(options.dataSource, logger);
    }
  } catch (error) {
    await stopServer();
    await options.bus?.close();
    if (options.dataSource?.isInitialized) await options.dataSource.destroy();
    throw error;
  }
  let relay: OutboxRelay | undefined;
  if (options.bus && options.dataSource) {
    relay = createOutboxRelay({ dataSource: options.dataSource, bus: options.bus, logger, metrics, pollIntervalMs: options.outboxPollIntervalMs });
    relay.start();
  }
  ready = true;
  setHealth("SERVING");
  const stopWatchingDatabase = options.dataSource ? watchDatabase(options.dataSource, logger, (up) => {
    ready = up;
    setHealth(up ? "SERVING" : "NOT_SERVING");
  }) : () => undefined;
  const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  logger.info({ grpc_port: grpcPort, http_port: ops.port }, `${manifest.name} serving`);

  let stopping: Promise<void> | undefined;
  return {
    name: manifest.name,
    grpcAddress: `${host}:${grpcPort}`,
    grpcPort,
    httpPort: ops.port,
    stop: () =>
      (stopping ??= (async () => {
        stopWatchingDatabase();
        ready = false;
        setHealth("NOT_SERVING");
        if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
        await stopServer();
        await relay?.stop();
        await options.bus?.close();
        if (options.dataSource?.isInitialized) await options.dataSource.destroy();
        logger.info(`${manifest.name} stopped`);
        logger.flush();
      })()),
  };
}

/** How often readiness re-checks the database, and how long one check may take. */
const DATABASE_CHECK_INTERVAL_MS = 10_000;
const DATABASE_CHECK_TIMEOUT_MS = 3_000;

// Readiness follows the database: a replica that cannot reach it reports NOT_SERVING so balancers
// send its traffic elsewhere, and SERVING again once a check succeeds. Returns the stop function.
function watchDatabase(dataSource: DataSource, logger: Logger, report: (up: boolean) => void): () => void {
  let up = true;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`no answer in ${DATABASE_CHECK_TIMEOUT_MS} ms`)), DATABASE_CHECK_TIMEOUT_MS);
    });
    Promise.race([dataSource.query("SELECT 1"), expired])
      .then(
        () => {
          if (!up) logger.info("database reachable again: SERVING");
          up = true;
        },
        (error: unknown) => {
          if (up) logger.error({ err: error }, "database unreachable: NOT_SERVING");
          up = false;
        },
      )
      .finally(() => {
        clearTimeout(timeout);
        checking = false;
        report(up);
      });
  }, DATABASE_CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
