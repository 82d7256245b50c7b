import { createMemoryRateLimitStore } from "./memory-rate-limit-store";
import { rateLimitStoreContract } from "./rate-limit-store-contract.fixture";

/** A clock that moves only when told. Starts on an aligned hour plus 1 ms. */
function fakeClock(start = Date.UTC(2026, 0, 1, 12) + 1) {
  let now = start;
  return {
    now: () => now,
    advance: async (ms: number) => {
      now += ms;
    },
  };
}

describe("createMemoryRateLimitStore", () => {
  describe("shared store behaviour (fake clock)", () => {
    rateLimitStoreContract(async () => {
      const clock = fakeClock();
      return { store: createMemoryRateLimitStore({ now: clock.now }), ...clock };
    });
  });

  test("aligns windows to their length: 15 s windows end on :00, :15, :30, :45", async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1, 12, 0, 7, 250));
    const store = createMemoryRateLimitStore({ now: clock.now });
    expect((await store.hit("k", 100, 15_000)).resetAt).toBe(Date.UTC(2026, 0, 1, 12, 0, 15));
    await clock.advance(7_750); // exactly 12:00:15, the first instant of the next window
    expect(await store.hit("k", 100, 15_000)).toEqual({ allowed: true, limit: 100, remaining: 99, resetAt: Date.UTC(2026, 0, 1, 12, 0, 30) });
  });

  test("sweeps expired windows during hits, at most once per sweep interval", async () => {
    const clock = fakeClock();
    const store = createMemoryRateLimitStore({ now: clock.now, sweepIntervalMs: 10_000 });
    for (let i = 0; i < 5; i++) await store.hit(`short-${i}`, 10, 1000);
    await store.hit("long", 10, 3_600_000);
    expect(store.size).toBe(6);

    await clock.advance(5000); // short windows expired, but the sweep interval has not passed
    await store.hit("long", 10, 3_600_000);
    expect(store.size).toBe(6);

    await clock.advance(5000);
    await store.hit("long", 10, 3_600_000);
    expect(store.size).toBe(1);
  });

  test("sweep() removes expired windows on demand and says how many", async () => {
    const clock = fakeClock();
    const store = createMemoryRateLimitStore({ now: clock.now });
    await store.hit("a", 10, 1000);
    await store.hit("b", 10, 60_000);
    await clock.advance(2000);
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
  });

  test("caps the number of keys: expired windows go first, then the oldest", async () => {
    const clock = fakeClock();
    const store = createMemoryRateLimitStore({ now: clock.now, maxKeys: 3 });
    await store.hit("expiring", 1, 1000);
    await store.hit("oldest", 1, 60_000);
    await store.hit("newer", 1, 60_000);
    await clock.advance(1500);

    await store.hit("fourth", 1, 60_000); // room made by sweeping "expiring"
    expect(store.size).toBe(3);
    expect((await store.hit("oldest", 1, 60_000)).allowed).toBe(false);

    await store.hit("fifth", 1, 60_000); // nothing expired: "oldest" is dropped
    expect(store.size).toBe(3);
    expect((await store.hit("fifth", 1, 60_000)).allowed).toBe(false);
    expect((await store.hit("oldest", 1, 60_000)).allowed).toBe(true); // forgotten: a fresh budget
  });

  test("close() drops every window", async () => {
    const store = createMemoryRateLimitStore();
    await store.hit("a", 1, 1000);
    await store.close();
    expect(store.size).toBe(0);
  });
});
