import { startEmbeddedPostgres, type EmbeddedPostgres } from "@velaflows/embedded-postgres";
import type { RunningService } from "@velaflows/kit";
import type { GatewayLauncher, RunningGatewayInfo } from "./gateway-launcher";
import type { LauncherConfig } from "./config";
import type { LaunchableService } from "./discover-services";

/** The platform running in this process. */
export interface RunningPlatform {
  databaseUrl: string;
  /** True when the launcher started PGlite itself. */
  embedded: boolean;
  services: RunningService[];
  /** The REST gateway in front of the services, unless turned off. */
  gateway?: RunningGatewayInfo;
  stop(): Promise<void>;
}

/** Connections per service pool when the platform shares one embedded PostgreSQL. */
const EMBEDDED_POOL_SIZE = 4;

/**
 * Starts the database (DATABASE_URL, or PGlite on a persistent folder), then each service on its
 * manifest ports, one after another so migrations and logs stay readable, then the gateway with
 * every service's address. If one fails, the ones already started are stopped before the error
 * is rethrown.
 */
export async function launchPlatform(
  config: LauncherConfig,
  services: readonly LaunchableService[],
  env: NodeJS.ProcessEnv,
  gateway?: GatewayLauncher,
): Promise<RunningPlatform> {
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      maxConnections: services.length * EMBEDDED_POOL_SIZE + 10,
    });
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const serviceEnv: NodeJS.ProcessEnv = {
    HOST: "127.0.0.1", // a laptop run stays on loopback unless HOST says otherwise
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", // and may send webhooks to receivers on the laptop
    ...env,
    DATABASE_URL: databaseUrl,
    ...(embedded && !env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: String(EMBEDDED_POOL_SIZE) } : {}),
  };
  for (const [name, address] of Object.entries(dependencyAddresses(services, serviceEnv))) serviceEnv[name] ??= address;
  const started: RunningService[] = [];
  let runningGateway: RunningGatewayInfo | undefined;
  const stop = async () => {
    await runningGateway?.stop();
    for (const service of [...started].reverse()) await service.stop();
    await embedded?.stop();
  };
  try {
    for (const service of services) started.push(await service.main(serviceEnv));
    if (gateway) {
      const addresses = Object.fromEntries(started.map((s) => [`${s.name.toUpperCase().replace(/-/g, "_")}_ADDR`, s.grpcAddress]));
      runningGateway = await gateway({ ...serviceEnv, ...addresses });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl, embedded: embedded !== undefined, services: started, gateway: runningGateway, stop };
}

/**
 * `<NAME>_ADDR` of every service with a fixed gRPC port, known before any of them starts, so a
 * service can call one that starts after it (gRPC clients connect lazily). Services on port 0 are
 * left out; an address already in the environment wins.
 */
function dependencyAddresses(services: readonly LaunchableService[], env: NodeJS.ProcessEnv): Record<string, string> {
  const host = !env.HOST || env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST;
  const addresses: Record<string, string> = {};
  for (const { manifest } of services) {
    const prefix = manifest.name.toUpperCase().replace(/-/g, "_");
    const port = Number(env[`${prefix}_GRPC_PORT`] ?? manifest.ports.grpc);
    if (Number.isInteger(port) && port > 0) addresses[`${prefix}_ADDR`] = `${host}:${port}`;
  }
  return addresses;
}
