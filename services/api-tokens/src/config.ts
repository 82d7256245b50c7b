import { join } from "node:path";
import { createEnvReader, loadEventBusConfig, loadServerConfig, loadServiceManifest, type EventBusConfig, type ServerConfig, type ServiceManifest } from "@velaflows/kit";

/** Everything the API Tokens service reads from its environment and manifest. */
export interface ApiTokensConfig {
  manifest: ServiceManifest;
  server: ServerConfig;
  /** AMQP_URL: RabbitMQ, else the process\'s in-process bus. */
  events: EventBusConfig;
  /**
   * `API_TOKENS_PEPPER`: when set, token hashes are HMAC-SHA256 keyed with it instead of plain
   * SHA-256, so a leaked database alone cannot even confirm a guessed token. Changing it
   * invalidates every existing token (they must be rotated or re-created).
   */
  pepper?: string;
}

/** A pepper shorter than this adds little; refuse it at start-up rather than run weakly. */
const MIN_PEPPER_LENGTH = 32;

/** The only reader of the environment in this service. */
export function loadConfig(env: NodeJS.ProcessEnv): ApiTokensConfig {
  const manifest = loadServiceManifest(join(__dirname, "..", "service.yaml"));
  const pepper = createEnvReader(env).optionalString("API_TOKENS_PEPPER");
  if (pepper !== undefined && pepper.length < MIN_PEPPER_LENGTH) {
    throw new Error(`Environment variable API_TOKENS_PEPPER must be at least ${MIN_PEPPER_LENGTH} characters`);
  }
  return Object.freeze({ manifest, server: Object.freeze(loadServerConfig(env, manifest)), events: Object.freeze(loadEventBusConfig(env)), pepper });
}
