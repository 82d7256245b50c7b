import type { RateLimitDecision, RateLimitStore } from "./rate-limit-store";
import { assertWindowArguments, fixedWindowEnd } from "./fixed-window";

/** Options of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /**
   * The most keys (one per caller, class and window length) held at once; 100 000 by default,
   * about 15 MB. When full, expired windows are swept first, then the oldest windows are dropped,
   * which hands those callers a fresh budget: under a flood of distinct callers the store
   * degrades towards allowing requests rather than growing without bound.
   */
  maxKeys?: number;
  /** How often, at most, a `hit` sweeps out expired windows, in ms; 60 000 by default. */
  sweepIntervalMs?: number;
  /** The clock, in epoch ms; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

/** A {@link RateLimitStore} held in this process, with a view of its size for tests and metrics. */
export interface MemoryRateLimitStore extends RateLimitStore {
  /** How many windows are held, expired ones not yet swept included. */
  readonly size: number;
  /** Removes every expired window now; returns how many were removed. */
  sweep(): number;
}

interface Window {
  count: number;
  /** Epoch ms at which the window ends. */
  resetAt: number;
}

/**
 * Counts requests per key in fixed, aligned windows, in memory: right for a single gateway, and the
 * per-replica fallback of the Redis store. Expired windows are swept lazily from `hit` (no timers),
 * at most once per `sweepIntervalMs`, and the number of keys is capped.
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): MemoryRateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  const now = options.now ?? Date.now;
  // Insertion order is window start order per key: a renewed window is deleted and re-inserted,
  // so the first entries are the oldest ones, the ones to drop when the cap is reached.
  const windows = new Map<string, Window>();
  let lastSweepAt = now();

  const sweep = (at: number): number => {
    let removed = 0;
    for (const [key, window] of windows) {
      if (window.resetAt <= at) {
        windows.delete(key);
        removed++;
      }
    }
    lastSweepAt = at;
    return removed;
  };

  const makeRoom = (at: number) => {
    if (windows.size < maxKeys) return;
    sweep(at);
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  };

  return {
    get size() {
      return windows.size;
    },
    sweep: () => sweep(now()),
    async hit(key, limit, windowMs): Promise<RateLimitDecision> {
      assertWindowArguments(limit, windowMs);
      const at = now();
      if (at - lastSweepAt >= sweepIntervalMs) sweep(at);
      const resetAt = fixedWindowEnd(at, windowMs);
      // The window length is part of the key: changing a class's window starts a new count.
      const id = `${windowMs}:${key}`;
      let window = windows.get(id);
      if (window === undefined || window.resetAt !== resetAt) {
        windows.delete(id);
        makeRoom(at);
        window = { count: 0, resetAt };
        windows.set(id, window);
      }
      window.count++;
      return {
        allowed: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        resetAt,
      };
    },
    async close() {
      windows.clear();
    },
  };
}
