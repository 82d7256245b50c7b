import { createEventBus, createLogger, createServiceMetrics, protoRegistry, runMain, startService, type RunningService } from "@velaflows/kit";
import { loadConfig } from "./config";
import { buildScopeCatalog } from "./domain/scope-catalog";
import { createTokenHasher } from "./domain/token-secret";
import { createVerifier } from "./domain/verification";
import { createApiTokensDataSource } from "./persistence/data-source";
import { createApiTokensStore } from "./persistence/api-tokens-store";
import { createApiTokensService } from "./service";

/** What a caller of {@link main} may swap besides the environment. */
export interface MainOptions {
  /** Where log lines go; stdout by default (tests capture them to prove no secret is logged). */
  logDestination?: NodeJS.WritableStream;
}

/** Wires and starts the API Tokens service; the launcher and tests call it with their own environment. */
export async function main(env: NodeJS.ProcessEnv = process.env, options: MainOptions = {}): Promise<RunningService> {
  const config = loadConfig(env);
  const { manifest, server } = config;
  const logger = createLogger({ service: manifest.name, level: server.logLevel, destination: options.logDestination });
  const dataSource = createApiTokensDataSource({ url: server.databaseUrl, schema: manifest.databaseSchema, poolSize: server.databasePoolSize });
  const store = createApiTokensStore(dataSource);
  const deps = { store, catalog: buildScopeCatalog(protoRegistry()), hasher: createTokenHasher(config.pepper) };
  return startService({
    manifest,
    config: server,
    logger,
    metrics: createServiceMetrics(manifest.name),
    dataSource,
    bus: createEventBus(config.events, logger),
    services: [createApiTokensService(deps, createVerifier(deps))],
  });
}

if (require.main === module) runMain(() => main());
