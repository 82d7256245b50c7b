import type { Logger } from "@velaflows/kit";
import { authenticateRequest } from "../auth/authenticate";
import { authorize } from "../auth/authorize";
import { createClaimsMembershipResolver } from "../auth/claims-membership-resolver";
import type { DevIdentity } from "../auth/dev-identity";
import { createJwtAuthenticator } from "../auth/jwt-authenticator";
import { cacheVerifiedCredentials } from "../auth/verified-credential-cache";
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
  /** Overrides, for the identity services once they exist (and for tests). */
  authenticators?: Authenticator[];
  membership?: MembershipResolver;
}

/**
 * The production wiring of the request path's steps: JWT access tokens verified against the Auth
 * service's JWKS (or the development identity), membership from the token's claims until the Auth
 * service answers it, rate limits and idempotency keys in Redis when `REDIS_URL` is set (one
 * connection for both), in memory otherwise.
 */
export function createGatewaySteps(deps: GatewayStepsDeps): { steps: GatewaySteps; close(): Promise<void> } {
  const { config, metrics, logger } = deps;
  const authenticators = deps.authenticators ?? defaultAuthenticators(config, deps.devIdentity);
  const membership = deps.membership ?? createClaimsMembershipResolver();
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
    async close() {
      await rateLimits.close();
      await idempotency.close();
      await redis?.close();
    },
  };
}

function defaultAuthenticators(config: GatewayConfig, devIdentity: DevIdentity | undefined): Authenticator[] {
  if (devIdentity) return [cacheVerifiedCredentials(createJwtAuthenticator({ jwks: devIdentity.jwks, issuer: devIdentity.issuer, audience: devIdentity.audience }))];
  if (config.authJwksUrl) return [cacheVerifiedCredentials(createJwtAuthenticator({ jwks: config.authJwksUrl, issuer: config.authIssuer, audience: config.authAudience }))];
  return []; // only public methods until an identity source is configured
}
