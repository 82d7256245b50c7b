import type { MembershipResolver } from "../pipeline/principal";
import { createTtlCache } from "./ttl-cache";

/** How {@link createCachedMembershipResolver} caches. */
export interface MembershipCacheOptions {
  /**
   * How long an answer is reused, in milliseconds: the longest a removed member (or a changed
   * role) keeps its old access. Seconds, not minutes; 0 turns caching off.
   */
  ttlMs: number;
  /** The most (principal, workspace) pairs remembered. */
  maxEntries: number;
  /** The clock, in epoch milliseconds; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

/**
 * Wraps a resolver (the Auth service) with a short cache keyed by principal kind, principal id and
 * workspace. "Not a member" is cached too; a failed lookup is not. Concurrent lookups of one key
 * share one call to `inner`.
 *
 * Only wrap resolvers whose answer depends on nothing but that key: not the claims resolver, whose
 * answer depends on the token presented.
 */
export function createCachedMembershipResolver(inner: MembershipResolver, options: MembershipCacheOptions): MembershipResolver {
  const cache = createTtlCache<Awaited<ReturnType<MembershipResolver["resolve"]>>>(options);
  return {
    resolve(principal, workspaceId) {
      const key = JSON.stringify([principal.kind, principal.id, workspaceId]);
      return cache.getOrLoad(key, () => inner.resolve(principal, workspaceId));
    },
  };
}
