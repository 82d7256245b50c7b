import { createEnvReader } from "@velaflows/kit";
import { loadRateLimitPolicy, type RateLimitPolicy } from "./rate-limit/rate-limit-policy";

/** Everything the gateway reads from its environment. */
export interface GatewayConfig {
  /** `HOST` (0.0.0.0) and `GATEWAY_PORT` (4000; 0 picks a free port). */
  host: string;
  port: number;
  /**
   * `GATEWAY_GRPC_PORT` (4001; 0 picks a free port): gRPC and Connect over HTTP/2 cleartext (h2c).
   * A port of its own because Node's h2c server cannot also answer HTTP/1.1; Connect and gRPC-Web
   * over HTTP/1.1 are served on `GATEWAY_PORT`.
   */
  grpcPort: number;
  /** `<SERVICE>_ADDR` for each upstream, e.g. `TAGS_ADDR=dns:///tags.velaflows.svc:50051`. */
  upstreamAddresses: ReadonlyMap<string, string>;
  /** `REDIS_URL`: shared rate limits and idempotency keys across replicas; memory when unset. */
  redisUrl?: string;
  rateLimits: RateLimitPolicy;
  /** `BODY_LIMIT_BYTES`: the largest request body accepted (1 MiB), unless the method declares its own (`max_request_bytes`). */
  bodyLimitBytes: number;
  /** `UPSTREAM_TIMEOUT_MS` (15 s) and `MAX_UPSTREAM_TIMEOUT_MS` (60 s): deadlines of service calls. */
  upstreamTimeoutMs: number;
  maxUpstreamTimeoutMs: number;
  /** `CORS_ORIGINS`: comma-separated browser origins allowed to call the API, or "*". */
  corsOrigins: string[];
  /** `TRUST_PROXY`: read the client address from X-Forwarded-For (behind an ingress). */
  trustProxy: boolean;
  /** `AUTH_JWKS_URL`: where the Auth service publishes its token keys; no JWT login without it (or dev identity). */
  authJwksUrl?: string;
  /** `AUTH_ISSUER` ("velaflows") and `AUTH_AUDIENCE` ("velaflows-api"): what access tokens must say. */
  authIssuer: string;
  authAudience: string;
  /** `MEMBERSHIP_CACHE_MS`: how long a membership answer is reused (5 s: a removed member loses access within it). */
  membershipCacheMs: number;
  /** `API_TOKEN_CACHE_MS`: how long an API token check is reused (5 s: a revoked token stops working within it). */
  apiTokenCacheMs: number;
  /**
   * `GATEWAY_DEV_IDENTITY=true`: sign and accept development tokens with an in-memory key and print
   * one at start-up. For laptops until the Auth service runs; never in production.
   */
  devIdentity: boolean;
  /** `LOG_LEVEL` */
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
}

/** The only reader of the gateway's environment. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const read = createEnvReader(env);
  const upstreamAddresses = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    const match = /^([A-Z0-9_]+)_ADDR$/.exec(name);
    if (match && value) upstreamAddresses.set(match[1]!.toLowerCase().replace(/_/g, "-"), value.trim());
  }
  const cors = (read.optionalString("CORS_ORIGINS") ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  return Object.freeze({
    host: read.string("HOST", "0.0.0.0"),
    port: read.int("GATEWAY_PORT", 4000),
    grpcPort: read.int("GATEWAY_GRPC_PORT", 4001),
    upstreamAddresses,
    redisUrl: read.optionalString("REDIS_URL"),
    rateLimits: loadRateLimitPolicy(env),
    bodyLimitBytes: read.int("BODY_LIMIT_BYTES", 1024 * 1024),
    upstreamTimeoutMs: read.int("UPSTREAM_TIMEOUT_MS", 15_000),
    maxUpstreamTimeoutMs: read.int("MAX_UPSTREAM_TIMEOUT_MS", 60_000),
    corsOrigins: cors,
    trustProxy: read.bool("TRUST_PROXY", false),
    authJwksUrl: read.optionalString("AUTH_JWKS_URL"),
    authIssuer: read.string("AUTH_ISSUER", "velaflows"),
    authAudience: read.string("AUTH_AUDIENCE", "velaflows-api"),
    membershipCacheMs: read.int("MEMBERSHIP_CACHE_MS", 5_000),
    apiTokenCacheMs: read.int("API_TOKEN_CACHE_MS", 5_000),
    devIdentity: read.bool("GATEWAY_DEV_IDENTITY", false),
    logLevel: read.oneOf("LOG_LEVEL", ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, "info"),
  });
}
