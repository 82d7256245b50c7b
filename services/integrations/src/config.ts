import { join } from "node:path";
import {
  createEnvReader,
  loadEventBusConfig,
  loadServerConfig,
  loadServiceManifest,
  type EventBusConfig,
  type ServerConfig,
  type ServiceManifest,
} from "@velaflows/kit";

/** How webhooks are delivered and which targets are allowed. */
export interface WebhookConfig {
  /**
   * WEBHOOK_TIME_SCALE: multiplies every delay of the retry schedule and the 24-hour windows (1 in
   * production; tests use e.g. 0.05 so the +1/+2/+4/+8 s schedule takes 50/100/200/400 ms).
   */
  timeScale: number;
  /** WEBHOOK_TIMEOUT_MS: how long a receiver has to answer 2xx; 10000 (the documented 10 s). */
  timeoutMs: number;
  /** WEBHOOK_REQUIRE_HTTPS: refuse http:// targets; true by default when NODE_ENV=production. */
  requireHttps: boolean;
  /**
   * WEBHOOK_ALLOW_PRIVATE_TARGETS: allow loopback, private, link-local and metadata addresses
   * (local development and tests, whose receivers listen on 127.0.0.1). False by default.
   */
  allowPrivateTargets: boolean;
  /** WEBHOOK_MAX_SUBSCRIPTIONS: subscriptions per workspace; 100. */
  maxSubscriptionsPerWorkspace: number;
  /** WEBHOOK_CONCURRENCY: requests in flight per replica; 16. */
  concurrency: number;
  /** WEBHOOK_POLL_INTERVAL_MS: how often an idle worker looks for due deliveries; 100. */
  pollIntervalMs: number;
}

/** Everything the Integrations service reads from its environment and manifest. */
export interface IntegrationsConfig {
  manifest: ServiceManifest;
  server: ServerConfig;
  /** AMQP_URL: RabbitMQ, else the process's in-process bus. */
  events: EventBusConfig;
  /**
   * INTEGRATIONS_DATABASE_SCHEMA, else the manifest's schema. Tests give each spec file a schema
   * of its own, so their delivery workers never take each other's deliveries.
   */
  databaseSchema: string;
  /** The durable queue of the event consumer: one per schema, `<schema>.webhooks`. */
  eventQueue: string;
  webhooks: WebhookConfig;
}

/** The only reader of the environment in this service. */
export function loadConfig(env: NodeJS.ProcessEnv): IntegrationsConfig {
  const manifest = loadServiceManifest(join(__dirname, "..", "service.yaml"));
  const read = createEnvReader(env);
  const databaseSchema = read.string("INTEGRATIONS_DATABASE_SCHEMA", manifest.databaseSchema);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) throw new Error("INTEGRATIONS_DATABASE_SCHEMA must be a lower-case SQL identifier");
  const timeScale = Number(read.string("WEBHOOK_TIME_SCALE", "1"));
  if (!(timeScale > 0 && timeScale <= 1)) throw new Error("WEBHOOK_TIME_SCALE must be a number in (0, 1]");
  const positive = (name: string, fallback: number) => {
    const value = read.int(name, fallback);
    if (value < 1) throw new Error(`${name} must be at least 1`);
    return value;
  };
  return Object.freeze({
    manifest,
    server: Object.freeze(loadServerConfig(env, manifest)),
    events: Object.freeze(loadEventBusConfig(env)),
    databaseSchema,
    eventQueue: `${databaseSchema}.webhooks`,
    webhooks: Object.freeze({
      timeScale,
      timeoutMs: positive("WEBHOOK_TIMEOUT_MS", 10_000),
      requireHttps: read.bool("WEBHOOK_REQUIRE_HTTPS", read.string("NODE_ENV", "development") === "production"),
      allowPrivateTargets: read.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", false),
      maxSubscriptionsPerWorkspace: positive("WEBHOOK_MAX_SUBSCRIPTIONS", 100),
      concurrency: positive("WEBHOOK_CONCURRENCY", 16),
      pollIntervalMs: positive("WEBHOOK_POLL_INTERVAL_MS", 100),
    }),
  });
}
