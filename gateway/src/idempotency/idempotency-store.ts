/** A response as replayed for a repeated Idempotency-Key. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the store knows about a key when a request claims it. */
export type IdempotencyClaim =
  /** First use: the caller must run the request and then `complete` or `release` the key. */
  | { state: "claimed" }
  /** The same key and request are being processed right now. */
  | { state: "in_flight" }
  /**
   * The key was used with a different request (method, path, body or principal), whether that
   * request has completed or is still in flight.
   */
  | { state: "mismatch" }
  /** The key's first response, to replay as it was. */
  | { state: "completed"; response: StoredResponse };

/** How long a completed key replays its response: 24 hours (the documented retention). */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How long an in-flight claim holds when it is never completed or released (the gateway died
 * mid-request): a little above the upstream deadline, so a crashed request does not lock its key
 * for the whole replay TTL.
 */
export const DEFAULT_IDEMPOTENCY_CLAIM_TTL_MS = 60 * 1000;

/**
 * Remembers the first response to each `Idempotency-Key` for a while (24 h by default), scoped by
 * the caller, so a retried POST is answered without running twice. Keys are scope keys from
 * `idempotencyScopeKey`, fingerprints from `requestFingerprint`.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a request whose canonical form hashes to `fingerprint`. A new claim lives for
   * `ttlMs` unless completed or released first (see {@link DEFAULT_IDEMPOTENCY_CLAIM_TTL_MS}).
   */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim>;
  /**
   * Records the response of a claimed key, to be replayed for `ttlMs`. Does nothing when the key is
   * now held by a request with another fingerprint (the claim expired and was taken meanwhile).
   */
  complete(key: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void>;
  /** Frees a claimed key whose request did not finish (so a retry may run); a completed key stays. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}
