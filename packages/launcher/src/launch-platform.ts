import { startEmbeddedPostgres, type EmbeddedPostgres } from "@velaflows/embedded-postgres";
import type { RunningService } from "@velaflows/kit";
import type { LauncherConfig } from "./config";
import type { LaunchableService } from "./discover-services";

/** The platform running in this process. */
export interface RunningPlatform {
  databaseUrl: string;
  /** True when the launcher started PGlite itself. */
  embedded: boolean;
  services: RunningService[];
  stop(): Promise<void>;
}

/** Connections per service pool when the platform shares one embedded PostgreSQL. */
const EMBEDDED_POOL_SIZE = 4;

/**
 * Starts the database (DATABASE_URL, or PGlite on a persistent folder) and then each service on its
 * manifest ports, one after another so migrations and logs stay readable. If one fails, the ones
 * already started are stopped before the error is rethrown.
 */
export async function launchPlatform(config: LauncherConfig, services: readonly LaunchableService[], env: NodeJS.ProcessEnv): Promise<RunningPlatform> {
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
    ...env,
    DATABASE_URL: databaseUrl,
    ...(embedded && !env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: String(EMBEDDED_POOL_SIZE) } : {}),
  };
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of [...started].reverse()) await service.stop();
    await embedded?.stop();
  };
  try {
    for (const service of services) started.push(await service.main(serviceEnv));
  } catch (error) {
    await stop();
    throw error;
  }
  return { databaseUrl, embedded: embedded !== undefined, services: started, stop };
}
