import { Redis } from "ioredis";
import type { Logger } from "@velaflows/kit";
import { createStoreErrorReporter } from "./store-error-reporter";

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /**
   * How long one command may take before it fails, in ms; 500 by default. Kept short on purpose:
   * the rate limiter fails open on an error, so a slow Redis costs each request at most this much.
   */
  commandTimeoutMs?: number;
  /** How long one connection attempt may take, in ms; 2000 by default. */
  connectTimeoutMs?: number;
  /** The longest pause between reconnection attempts, in ms; 2000 by default. Attempts never stop. */
  maxReconnectDelayMs?: number;
  /** Shown by `CLIENT LIST`; "velaflows-gateway" by default. */
  name?: string;
  /** Where connection errors are logged (at most one line per 30 s while Redis stays down). */
  logger?: Logger;
}

/**
 * One Redis client for the gateway, shared by the rate-limit and idempotency stores. Stores given a
 * connection never close it: whoever created it closes it, after the stores.
 */
export interface RedisConnection {
  /** The ioredis client. Commands fail at once while disconnected (there is no offline queue). */
  readonly client: Redis;
  /**
   * Resolves once the client is connected and Redis is ready. Rejects after `timeoutMs` (5000 by
   * default) or when the connection was closed; the client keeps reconnecting in the background.
   */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Sends QUIT (pending replies still arrive) and waits for the socket to close when connected;
   * otherwise stops connecting. No reconnection follows either way.
   */
  close(): Promise<void>;
}

/** Fills the defaults of {@link RedisConnectionOptions}. */
function resolveOptions(options: RedisConnectionOptions) {
  return {
    commandTimeoutMs: options.commandTimeoutMs ?? 500,
    connectTimeoutMs: options.connectTimeoutMs ?? 2000,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 2000,
    name: options.name ?? "velaflows-gateway",
  };
}

/**
 * Opens a Redis connection tuned for request-path use: no offline queue (while Redis is down a
 * command fails immediately instead of piling up with the requests that wait for it), a short
 * command timeout, no retry of a command cut off by a disconnect, and reconnection forever with a
 * capped backoff. Connecting starts at once; `ready()` tells when it succeeded.
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const settings = resolveOptions(options);
  const client = new Redis(options.url, {
    connectionName: settings.name,
    commandTimeout: settings.commandTimeoutMs,
    connectTimeout: settings.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, settings.maxReconnectDelayMs),
  });
  const reportError = createStoreErrorReporter({
    component: "redis",
    logger: options.logger,
    logIntervalMs: 30_000,
  });
  // Without a listener ioredis prints every connection error to the console.
  client.on("error", (error) => reportError(error, "connection"));

  return {
    client,
    ready(timeoutMs = 5000) {
      if (client.status === "ready") return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          client.off("ready", onReady);
          client.off("end", onEnd);
        };
        const onReady = () => {
          cleanup();
          resolve();
        };
        const onEnd = () => {
          cleanup();
          reject(new Error("Redis connection closed before it was ready"));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Redis was not ready within ${timeoutMs} ms (status: ${client.status})`));
        }, timeoutMs);
        client.on("ready", onReady);
        client.on("end", onEnd);
      });
    },
    async close() {
      if (client.status !== "ready") {
        // Stops reconnecting. (While "reconnecting" ioredis has no socket to close, so its status
        // stays as it is, but no attempt follows.)
        client.disconnect();
        return;
      }
      const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
      // QUIT resolves on the server's OK; the socket closes just after. Wait for it, briefly.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
    },
  };
}
