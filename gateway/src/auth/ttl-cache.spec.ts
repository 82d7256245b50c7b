import { createTtlCache } from "./ttl-cache";

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe("createTtlCache", () => {
  test("serves a loaded value until its TTL passes, then loads again", async () => {
    const clock = fakeClock();
    const cache = createTtlCache<number>({ ttlMs: 1000, maxEntries: 10, now: clock.now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad("k", load)).toBe(1);
    clock.advance(999);
    expect(await cache.getOrLoad("k", load)).toBe(1);
    clock.advance(1);
    expect(await cache.getOrLoad("k", load)).toBe(2);
  });

  test("caches undefined (negative caching)", async () => {
    const cache = createTtlCache<string | undefined>({ ttlMs: 1000, maxEntries: 10 });
    const load = jest.fn(async () => undefined);
    await cache.getOrLoad("k", load);
    await cache.getOrLoad("k", load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test("does not cache a failed load", async () => {
    const cache = createTtlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    await expect(cache.getOrLoad("k", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.getOrLoad("k", async () => "up")).toBe("up");
  });

  test("shares one load between concurrent callers of one key, and its failure too", async () => {
    const cache = createTtlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    let release!: (value: string) => void;
    const load = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const waiting = [cache.getOrLoad("k", load), cache.getOrLoad("k", load), cache.getOrLoad("k", load)];
    release("v");
    expect(await Promise.all(waiting)).toEqual(["v", "v", "v"]);
    expect(load).toHaveBeenCalledTimes(1);

    const failing = jest.fn(async () => Promise.reject(new Error("down")));
    const results = await Promise.allSettled([cache.getOrLoad("x", failing), cache.getOrLoad("x", failing)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(failing).toHaveBeenCalledTimes(1);
  });

  test("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 3 });
    for (const key of ["a", "b", "c", "d"]) await cache.getOrLoad(key, async () => key);
    expect(cache.size).toBe(3);
    const reload = jest.fn(async () => "again");
    expect(await cache.getOrLoad("a", reload)).toBe("again");
    expect(await cache.getOrLoad("d", reload)).toBe("d");
    expect(reload).toHaveBeenCalledTimes(1);
  });

  test("drops expired entries when writing", async () => {
    const clock = fakeClock();
    const cache = createTtlCache<string>({ ttlMs: 1000, maxEntries: 100, now: clock.now });
    for (const key of ["a", "b", "c"]) await cache.getOrLoad(key, async () => key);
    clock.advance(1000);
    await cache.getOrLoad("d", async () => "d");
    expect(cache.size).toBe(1);
  });

  test("with ttlMs 0 caches nothing", async () => {
    const cache = createTtlCache<string>({ ttlMs: 0, maxEntries: 10 });
    const load = jest.fn(async () => "v");
    await cache.getOrLoad("k", load);
    await cache.getOrLoad("k", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  test.each([
    [{ ttlMs: -1, maxEntries: 10 }],
    [{ ttlMs: Number.NaN, maxEntries: 10 }],
    [{ ttlMs: 10, maxEntries: 0 }],
  ])("refuses %j", (options) => {
    expect(() => createTtlCache(options)).toThrow(RangeError);
  });
});
