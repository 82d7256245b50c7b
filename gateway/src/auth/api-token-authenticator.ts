import { createHash } from "node:crypto";
import { UnauthenticatedError } from "@velaflows/kit";
import type { Authenticator, Principal } from "../pipeline/principal";
import { createTtlCache } from "./ttl-cache";

/**
 * The API token format (ARCHITECTURE section 5): `sk_live_` or `sk_test_` followed by 40 random
 * lower-case letters and digits, 48 characters in all.
 */
export const API_TOKEN_PATTERN = /^sk_(?:live|test)_[a-z0-9]{40}$/;

/** How {@link createApiTokenAuthenticator} checks API tokens. */
export interface ApiTokenAuthenticatorOptions {
  /**
   * Looks a well-formed token up (the API Tokens service): its principal (`kind: "api_token"`, with
   * `workspaceId`, `scopes` and `userId`) when it is active, undefined when it is unknown, revoked
   * or expired. A throw (e.g. the service is down) is passed on and not cached.
   */
  verify(token: string): Promise<Principal | undefined>;
  /**
   * How long an answer of `verify` is reused, in milliseconds, for known and unknown tokens alike;
   * 10 s by default. A revoked token keeps working for at most this long; 0 turns caching off.
   */
  cacheTtlMs?: number;
  /** The most tokens remembered; 10 000 by default. */
  cacheMaxEntries?: number;
  /** The clock, in epoch milliseconds; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

/**
 * Creates the authenticator for API tokens (`sk_live_…`/`sk_test_…`). Credentials without an
 * `sk_` prefix are not its kind (undefined). A malformed `sk_` token, or one that `verify` does
 * not know, throws `UnauthenticatedError`.
 *
 * Answers are cached briefly, keyed by the token's SHA-256 so the raw secret is never held as a
 * key; concurrent requests with one token share one `verify` call.
 */
export function createApiTokenAuthenticator(options: ApiTokenAuthenticatorOptions): Authenticator {
  const cache = createTtlCache<Principal | undefined>({
    ttlMs: options.cacheTtlMs ?? 10_000,
    maxEntries: options.cacheMaxEntries ?? 10_000,
    now: options.now,
  });
  return {
    async authenticate(credential) {
      if (!credential.startsWith("sk_")) return undefined;
      if (!API_TOKEN_PATTERN.test(credential)) throw new UnauthenticatedError("Malformed API token");
      const key = createHash("sha256").update(credential).digest("base64url");
      const principal = await cache.getOrLoad(key, () => options.verify(credential));
      if (!principal) throw new UnauthenticatedError("Invalid API token");
      return principal;
    },
  };
}
