import { hash } from "node:crypto";
import type { Principal } from "../pipeline/principal";

/** How long, and how many, verified access tokens {@link VerifiedTokenCache} remembers. */
export interface VerifiedTokenCacheOptions {
  /** The longest a token is trusted without checking its signature again, in milliseconds; 30 s by default. */
  maxAgeMs?: number;
  /** The most tokens remembered; the least recently used is dropped to make room. 10,000 by default. */
  maxEntries?: number;
}

interface Entry {
  principal: Principal;
  /** Epoch ms from which the entry is no longer served: its max age, or the token's expiry. */
  until: number;
  /** The key set the signature was checked against: the entry is served only while it is current. */
  keys: unknown;
}

/**
 * Access tokens whose signature and claims were verified, so that a client sending the same token
 * on every request pays for one signature check per `maxAgeMs` (the signature check was the
 * largest cost the gateway adds per request, bench/gateway.bench.ts). An entry is served only
 * until the earlier of its max age and the moment the verifier itself would call the token expired
 * (`until`, which the caller computes with the same clock tolerance), and only while the key set
 * it was verified against is still the current one: a refetched key set (a key removed or
 * rotated) invalidates every entry. Refusals are never cached. Keys are SHA-256 digests of the
 * token, so no credential is held in memory; entries are evicted least recently used first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!(this.maxAgeMs >= 0)) throw new RangeError(`maxAgeMs must be >= 0, got ${this.maxAgeMs}`);
    if (!(this.maxEntries >= 1)) throw new RangeError(`maxEntries must be >= 1, got ${this.maxEntries}`);
  }

  /** The digest a token is remembered by. */
  keyOf(token: string): string {
    return hash("sha256", token, "base64url");
  }

  /** The principal of a verified `key`, if its entry is still good at `now` for the key set `keys`. */
  get(key: string, now: number, keys: unknown): Principal | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (now >= entry.until || entry.keys !== keys) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.principal;
  }

  /** Remembers a verified token until the earlier of `now + maxAgeMs` and `expiresAt`. */
  set(key: string, principal: Principal, now: number, expiresAt: number, keys: unknown): void {
    const until = Math.min(now + this.maxAgeMs, expiresAt);
    if (until <= now) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { principal, until, keys });
  }

  /** The number of entries held, good or stale. */
  get size(): number {
    return this.entries.size;
  }
}
