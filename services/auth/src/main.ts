import { createEventBus, createLogger, createServiceMetrics, runMain, startService, type RunningService } from "@velaflows/kit";
import { loadConfig } from "./config";
import { createPasswordHasher } from "./domain/passwords";
import { createSigningKeyRing } from "./domain/signing-keys";
import { createAuthStore } from "./persistence/auth-store";
import { createAuthDataSource } from "./persistence/data-source";
import { createAuthServices } from "./service";

/** Wires and starts the Auth service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel });
  const dataSource = createAuthDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  const store = createAuthStore(dataSource);
  const keys = createSigningKeyRing({ config: config.signingKeys, store, logger, accessTokenTtlSeconds: config.accessTokenTtlSeconds });
  const deps = { store, keys, passwords: await createPasswordHasher(config.passwordHash), settings: config };
  const running = await startService({
    manifest,
    config: server,
    logger,
    metrics: createServiceMetrics(manifest.name),
    dataSource,
    bus: createEventBus(config.events, logger),
    services: createAuthServices(deps),
  });
  // Loads (or, the first time, creates) the signing key now rather than on the first login, so a
  // key that cannot be read (wrong AUTH_KEY_ENCRYPTION_KEY) stops the start instead of every login.
  try {
    await keys.current();
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

if (require.main === module) runMain(() => main());
