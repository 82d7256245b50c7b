/** How a {@link TtlCache} keeps entries. */
export interface TtlCacheOptions {
  /** How long a loaded value is served before it is loaded again, in milliseconds. */
  ttlMs: number;
  /** The most entries kept; the oldest entry is dropped to make room. */
  maxEntries: number;
  /** The clock, in epoch milliseconds; `Date.now` by default (tests pass a fake one). */
  now?: () => number;
}

/**
 * A small in-memory cache with a time to live, a size bound and single-flight loading. `undefined`
 * is a value like any other, so "not found" answers are cached too (negative caching).
 */
export interface TtlCache<V> {
  /**
   * The cached value for `key` if it is fresh; otherwise the result of `load()`, which is then
   * cached. Concurrent calls for one key share one `load()`. A load that throws is not cached.
   */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V>;
  /** Forgets `key`. */
  delete(key: string): void;
  /** The number of entries held, fresh or expired. */
  readonly size: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/** Creates a {@link TtlCache}. Throws a RangeError for a negative TTL or a size bound below 1. */
export function createTtlCache<V>(options: TtlCacheOptions): TtlCache<V> {
  const { ttlMs, maxEntries } = options;
  const now = options.now ?? Date.now;
  if (!(ttlMs >= 0)) throw new RangeError(`ttlMs must be >= 0, got ${ttlMs}`);
  if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be >= 1, got ${maxEntries}`);
  // A Map iterates in insertion order and entries are re-inserted when refreshed; with one TTL for
  // all, the first entry is therefore both the oldest and the first to expire. Dropping from the
  // front keeps every write O(1), even under a flood of distinct keys (e.g. random bad tokens).
  const entries = new Map<string, Entry<V>>();
  const inFlight = new Map<string, Promise<V>>();

  function store(key: string, value: V): void {
    const time = now();
    entries.delete(key);
    for (const [oldestKey, oldest] of entries) {
      if (entries.size < maxEntries && oldest.expiresAt > time) break;
      entries.delete(oldestKey);
    }
    entries.set(key, { value, expiresAt: time + ttlMs });
  }

  return {
    getOrLoad(key, load) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return Promise.resolve(entry.value);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const loading = (async () => {
        try {
          const value = await load();
          if (ttlMs > 0) store(key, value);
          return value;
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, loading);
      return loading;
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
