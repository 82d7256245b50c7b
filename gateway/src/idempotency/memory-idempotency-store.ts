import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from "./idempotency-store";

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** The most keys held at once; 10 000 by default. */
  maxEntries?: number;
  /**
   * The most response bytes held at once (bodies and headers, counted as UTF-16 code units × 2);
   * 64 MiB by default. A single response larger than this is not kept (its key is released).
   */
  maxBytes?: number;
  /** How often, at most, an operation sweeps out expired keys, in ms; 60 000 by default. */
  sweepIntervalMs?: number;
  /** The clock, in epoch ms; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

/** An {@link IdempotencyStore} held in this process, with a view of its size for tests and metrics. */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** How many keys are held, expired ones not yet swept included. */
  readonly size: number;
  /** How many response bytes are held. */
  readonly bytes: number;
  /** Removes every expired key now; returns how many were removed. */
  sweep(): number;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response?: StoredResponse;
  bytes: number;
}

/**
 * Idempotency keys in memory, for a single gateway. Expired keys are swept lazily (no timers);
 * when the entry or byte cap is reached the oldest keys are dropped first, completed or not: a
 * dropped key only means a retry of that old request runs again, as it would after the TTL.
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  // Insertion order is claim order: the first entries are the oldest, the ones to drop when full.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let lastSweepAt = now();

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const sweep = (at: number): number => {
    let removed = 0;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= at) {
        remove(key);
        removed++;
      }
    }
    lastSweepAt = at;
    return removed;
  };
  /** The live entry of a key, after a periodic sweep; an expired one is removed on sight. */
  const live = (key: string, at: number): Entry | undefined => {
    if (at - lastSweepAt >= sweepIntervalMs) sweep(at);
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt <= at) {
      remove(key);
      return undefined;
    }
    return entry;
  };
  const makeRoom = (at: number, entriesNeeded: number, bytesNeeded: number) => {
    if (entries.size + entriesNeeded <= maxEntries && bytes + bytesNeeded <= maxBytes) return;
    sweep(at);
    for (const key of entries.keys()) {
      if (entries.size + entriesNeeded <= maxEntries && bytes + bytesNeeded <= maxBytes) break;
      remove(key);
    }
  };

  return {
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    sweep: () => sweep(now()),
    async claim(key, fingerprint, ttlMs): Promise<IdempotencyClaim> {
      const at = now();
      const entry = live(key, at);
      if (entry !== undefined) {
        if (entry.fingerprint !== fingerprint) return { state: "mismatch" };
        return entry.response === undefined ? { state: "in_flight" } : { state: "completed", response: structuredClone(entry.response) };
      }
      makeRoom(at, 1, 0);
      entries.set(key, { fingerprint, expiresAt: at + ttlMs, bytes: 0 });
      return { state: "claimed" };
    },
    async complete(key, fingerprint, response, ttlMs) {
      const at = now();
      const entry = live(key, at);
      if (entry !== undefined && entry.fingerprint !== fingerprint) return;
      const size = responseBytes(response);
      remove(key);
      if (size > maxBytes) return;
      makeRoom(at, 1, size);
      entries.set(key, { fingerprint, expiresAt: at + ttlMs, response: structuredClone(response), bytes: size });
      bytes += size;
    },
    async release(key) {
      const entry = live(key, now());
      if (entry !== undefined && entry.response === undefined) remove(key);
    },
    async close() {
      entries.clear();
      bytes = 0;
    },
  };
}

function responseBytes(response: StoredResponse): number {
  let length = response.body.length;
  for (const [name, value] of Object.entries(response.headers)) length += name.length + value.length;
  return length * 2;
}
