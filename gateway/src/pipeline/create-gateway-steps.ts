import type { Logger } from "@velaflows/kit";
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/authorize";
import { createClaimsMembershipResolver } from "../auth/claims-membership-resolver";
import type { DevIdentity } from "../auth/dev-identity";
import { createApiTokenAuthenticator } from "../auth/api-token-authenticator";
import { createJwtAuthenticator } from "../auth/jwt-authenticator";
import { createCachedMembershipResolver } from "../auth/membership-cache";
import { apiTokensVerifier, authServiceJwks, authServiceMembership } from "../identity/auth-service-identity";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { GatewayConfig } from "../config";
import { createIdempotencyStore } from "../idempotency/create-idempotency-store";
import type { GatewayMetrics } from "../observability/gateway-metrics";
import { createRateLimitStore } from "../rate-limit/create-rate-limit-store";
import { ipRateLimitKey, rateLimitKey } from "../rate-limit/rate-limit-key";
import { rateLimitRule } from "../rate-limit/rate-limit-policy";
import { createRedisConnection } from "../redis/redis-connection";
import type { GatewaySteps } from "./gateway-steps";
import { principalKey, type Authenticator, type MembershipResolver } from "./principal";

/** What the steps are built from, besides the config. */
export interface GatewayStepsDeps {
  config: GatewayConfig;
  metrics: GatewayMetrics;
  logger: Logger;
  /** The development identity, when `GATEWAY_DEV_IDENTITY` is on. */
  devIdentity?: DevIdentity;
  /** The channels to the services: the identity services are asked through them. */
  upstreams: UpstreamPool;
  /** Overrides (tests). */
  authenticators?: Authenticator[];
  membership?: MembershipResolver;
}

/**
 * The production wiring of the request path's steps. Identity: with the Auth service configured
 * (`AUTH_ADDR`), access tokens are verified against its keys and membership is its answer (cached
 * for `MEMBERSHIP_CACHE_MS`); with the API Tokens service (`API_TOKENS_ADDR`), `sk_…` tokens are
 * verified by it. The development identity (or `AUTH_JWKS_URL` alone) reads membership from the
 * token's claims instead. Rate limits and idempotency keys live in Redis when `REDIS_URL` is set
 * (one connection for both), in memory otherwise.
 */
export function createGatewaySteps(deps: GatewayStepsDeps): { steps: GatewaySteps; ready(): Promise<void>; close(): Promise<void> } {
  const { config, metrics, logger } = deps;
  const identity = identitySources(config, deps.devIdentity, deps.upstreams);
  const authenticators = deps.authenticators ?? identity.authenticators;
  const membership = deps.membership ?? identity.membership;
  const redis = config.redisUrl ? createRedisConnection({ url: config.redisUrl, logger }) : undefined;
  const onError = (_error: Error, operation: string) => metrics.transcodingErrors.inc({ reason: `store_${operation}` });
  const rateLimits = createRateLimitStore({ redis, onError, logger });
  const idempotency = createIdempotencyStore({ redis, onError, logger });
  const policy = config.rateLimits;
  return {
    steps: {
      limitClient: (clientIp) => rateLimits.hit(ipRateLimitKey(clientIp), policy.ip.limit, policy.ip.windowMs),
      authenticate: (authorization) => authenticateRequest(authorization, authenticators),
      authorize: (methodPolicy, principal, workspaceHeader) => authorize({ policy: methodPolicy, principal, workspaceId: workspaceHeader, resolver: membership }),
      limitCall(route, access, clientIp) {
        const rule = rateLimitRule(policy, route.policy.rateLimit);
        const caller = access.principal ? principalKey(access.principal) : undefined;
        return rateLimits.hit(rateLimitKey({ class: route.policy.rateLimit, principalKey: caller, clientIp }), rule.limit, rule.windowMs);
      },
      idempotency,
    },
    /** Resolves when the shared stores can be used (Redis connected); at once without Redis. */
    ready: async () => {
      await redis?.ready(5_000);
    },
    async close() {
      await rateLimits.close();
      await idempotency.close();
      await redis?.close();
    },
  };
}

/** The identity steps' sources as `createGatewaySteps` wires them (exported for bench/auth.bench.ts). */
export function identitySources(
  config: GatewayConfig,
  devIdentity: DevIdentity | undefined,
  upstreams: UpstreamPool,
): { authenticators: Authenticator[]; membership: MembershipResolver } {
  const authenticators: Authenticator[] = [];
  let membership: MembershipResolver = createClaimsMembershipResolver();
  if (devIdentity) {
    authenticators.push(createJwtAuthenticator({ jwks: devIdentity.jwks, issuer: devIdentity.issuer, audience: devIdentity.audience }));
  } else if (config.upstreamAddresses.has("auth")) {
    authenticators.push(createJwtAuthenticator({ jwks: authServiceJwks(upstreams), issuer: config.authIssuer, audience: config.authAudience }));
    membership = createCachedMembershipResolver(authServiceMembership(upstreams), { ttlMs: config.membershipCacheMs, maxEntries: 100_000 });
  } else if (config.authJwksUrl) {
    authenticators.push(createJwtAuthenticator({ jwks: config.authJwksUrl, issuer: config.authIssuer, audience: config.authAudience }));
  }
  // An access token's signature is checked once per 30 s (never past its expiry, nor across a new
  // key set: the JWT authenticator's own cache); API tokens keep their own shorter cache, so a
  // revocation takes effect within seconds.
  if (config.upstreamAddresses.has("api-tokens")) authenticators.push(createApiTokenAuthenticator({ verify: apiTokensVerifier(upstreams), cacheTtlMs: config.apiTokenCacheMs }));
  return { authenticators, membership };
}
