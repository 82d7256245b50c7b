import { idempotencyStoreContract } from "./idempotency-store-contract.fixture";
import { createMemoryIdempotencyStore } from "./memory-idempotency-store";

function fakeClock(start = Date.UTC(2026, 0, 1, 12)) {
  let now = start;
  return {
    now: () => now,
    advance: async (ms: number) => {
      now += ms;
    },
  };
}

const response = (body: string) => ({ status: 200, headers: { "content-type": "application/json" }, body });

describe("createMemoryIdempotencyStore", () => {
  describe("shared store behaviour (fake clock)", () => {
    idempotencyStoreContract(async () => {
      const clock = fakeClock();
      return { store: createMemoryIdempotencyStore({ now: clock.now }), advance: clock.advance };
    });
  });

  test("a replayed response cannot be changed through the object it returned", async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim("k", "fp", 1000);
    await store.complete("k", "fp", response("{}"), 60_000);
    const first = await store.claim("k", "fp", 1000);
    if (first.state !== "completed") throw new Error(first.state);
    first.response.headers["x-injected"] = "1";
    expect(await store.claim("k", "fp", 1000)).toEqual({ state: "completed", response: response("{}") });
  });

  test("sweeps expired keys during operations, at most once per sweep interval", async () => {
    const clock = fakeClock();
    const store = createMemoryIdempotencyStore({ now: clock.now, sweepIntervalMs: 10_000 });
    for (let i = 0; i < 5; i++) await store.claim(`short-${i}`, "fp", 1000);
    await store.claim("long", "fp", 3_600_000);
    await store.complete("long", "fp", response("x".repeat(100)), 3_600_000);
    expect(store.size).toBe(6);

    await clock.advance(5000);
    await store.claim("long", "fp", 1000);
    expect(store.size).toBe(6);

    await clock.advance(5000);
    await store.claim("long", "fp", 1000);
    expect(store.size).toBe(1);
    expect(store.sweep()).toBe(0);
  });

  test("caps the number of keys, dropping the oldest", async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 2 });
    await store.claim("a", "fp", 60_000);
    await store.claim("b", "fp", 60_000);
    await store.claim("c", "fp", 60_000);
    expect(store.size).toBe(2);
    expect(await store.claim("a", "fp", 60_000)).toEqual({ state: "claimed" }); // forgotten
  });

  test("caps the bytes of stored responses, and keeps none larger than the cap", async () => {
    const store = createMemoryIdempotencyStore({ maxBytes: 1000 });
    for (const key of ["a", "b", "c"]) {
      await store.claim(key, "fp", 60_000);
      await store.complete(key, "fp", { status: 200, headers: {}, body: "x".repeat(200) }, 60_000);
    }
    expect(store.bytes).toBe(800); // 2 bytes per UTF-16 code unit: two 400-byte bodies fit
    expect(await store.claim("a", "fp", 60_000)).toEqual({ state: "claimed" });
    expect((await store.claim("c", "fp", 60_000)).state).toBe("completed");

    await store.claim("huge", "fp", 60_000);
    await store.complete("huge", "fp", { status: 200, headers: {}, body: "x".repeat(600) }, 60_000);
    expect(await store.claim("huge", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(store.bytes).toBeLessThanOrEqual(1000);
  });

  test("close() forgets everything", async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim("a", "fp", 60_000);
    await store.close();
    expect([store.size, store.bytes]).toEqual([0, 0]);
  });
});
