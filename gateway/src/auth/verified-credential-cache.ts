import { createHash } from "node:crypto";
import type { Authenticator, Principal } from "../pipeline/principal";
import { createTtlCache } from "./ttl-cache";

/** Options of {@link cacheVerifiedCredentials}. */
export interface VerifiedCredentialCacheOptions {
  /** How long a verified credential is trusted without verifying it again; 30 s by default. */
  ttlMs?: number;
  /** The most credentials remembered; 10,000 by default. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Remembers credentials an authenticator accepted, so a client sending the same access token on
 * every request pays for one signature check per `ttlMs` instead of one per request (it was the
 * largest cost the gateway adds, measured by bench/gateway.bench.ts). Never past the token's own
 * `exp`; refusals are not cached (the per-IP limit bounds floods of bad tokens); keys are SHA-256
 * digests, so no credential is held in memory.
 */
export function cacheVerifiedCredentials(inner: Authenticator, options: VerifiedCredentialCacheOptions = {}): Authenticator {
  const now = options.now ?? Date.now;
  const cache = createTtlCache<Principal | undefined>({ ttlMs: options.ttlMs ?? 30_000, maxEntries: options.maxEntries ?? 10_000, now });
  return {
    async authenticate(credential) {
      const key = createHash("sha256").update(credential).digest("base64url");
      const principal = await cache.getOrLoad(key, () => inner.authenticate(credential));
      const exp = principal?.claims?.exp;
      if (typeof exp === "number" && exp * 1000 <= now()) {
        cache.delete(key);
        return inner.authenticate(credential); // expired since it was cached: let the verifier say so
      }
      return principal;
    },
  };
}
