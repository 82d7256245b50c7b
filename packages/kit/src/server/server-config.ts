import { createEnvReader } from "../config/env";
import type { ServiceManifest } from "../config/service-manifest";

/** The settings every service reads the same way; a service's `config.ts` adds its own. */
export interface ServerConfig {
  /** Interface to bind; 0.0.0.0 in containers. `HOST`. */
  host: string;
  /** `<NAME>_GRPC_PORT`, else the manifest's port; 0 picks a free port (tests). */
  grpcPort: number;
  /** `<NAME>_HTTP_PORT`, else the manifest's port; serves /metrics, /healthz, /readyz. */
  httpPort: number;
  /** `DATABASE_URL`. */
  databaseUrl: string;
  /** `DATABASE_POOL_SIZE`, 10 by default. */
  databasePoolSize: number;
  /** `LOG_LEVEL`: trace, debug, info (default), warn, error, fatal or silent. */
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
  /** `SHUTDOWN_DRAIN_MS`: how long to answer NOT_SERVING before closing, so balancers move away. */
  shutdownDrainMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: how long in-flight calls get to finish before they are cancelled. */
  shutdownTimeoutMs: number;
  /** `MAX_CALL_MS`: the deadline of calls whose caller set none. */
  maxCallMs: number;
}

/** Reads {@link ServerConfig} from `env` for the service described by `manifest`. */
export function loadServerConfig(env: NodeJS.ProcessEnv, manifest: ServiceManifest): ServerConfig {
  const read = createEnvReader(env);
  const prefix = manifest.name.toUpperCase().replace(/-/g, "_");
  return {
    host: read.string("HOST", "0.0.0.0"),
    grpcPort: read.int(`${prefix}_GRPC_PORT`, manifest.ports.grpc),
    httpPort: read.int(`${prefix}_HTTP_PORT`, manifest.ports.http),
    databaseUrl: read.string("DATABASE_URL"),
    databasePoolSize: read.int("DATABASE_POOL_SIZE", 10),
    logLevel: read.oneOf("LOG_LEVEL", ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, "info"),
    shutdownDrainMs: read.int("SHUTDOWN_DRAIN_MS", 0),
    shutdownTimeoutMs: read.int("SHUTDOWN_TIMEOUT_MS", 10_000),
    maxCallMs: read.int("MAX_CALL_MS", 30_000),
  };
}
