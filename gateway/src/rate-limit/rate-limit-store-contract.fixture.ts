import { randomUUID } from "node:crypto";
import type { RateLimitStore } from "./rate-limit-store";

/** What the shared rate-limit store tests need from one implementation. */
export interface RateLimitStoreHarness {
  store: RateLimitStore;
  /** The store's current time, in epoch ms. */
  now(): number;
  /** Lets `ms` pass for the store (a fake clock moves; a real one is waited for). */
  advance(ms: number): Promise<void>;
}

/**
 * The behaviour every {@link RateLimitStore} shares, as jest tests: fixed windows aligned to their
 * length, remaining counts, refusal past the limit, rollover, independent keys. Each test uses keys
 * of its own, so a shared server may be used.
 */
export function rateLimitStoreContract(setup: () => Promise<RateLimitStoreHarness>): void {
  let harness: RateLimitStoreHarness;
  let key: string;

  beforeEach(async () => {
    harness = await setup();
    key = `test-${randomUUID()}`;
  });
  afterEach(async () => {
    await harness.store.close();
  });

  /** Waits for the next window when the current one ends within `marginMs`, so a burst fits one window. */
  async function awayFromWindowEdge(windowMs: number, marginMs = 1500) {
    const left = windowMs - (harness.now() % windowMs);
    if (left < marginMs) await harness.advance(left + 10);
  }

  test("counts down the remaining budget and refuses past the limit", async () => {
    await awayFromWindowEdge(3_600_000);
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await harness.store.hit(key, 3, 3_600_000));
    expect(decisions.map((d) => [d.allowed, d.limit, d.remaining])).toEqual([
      [true, 3, 2],
      [true, 3, 1],
      [true, 3, 0],
      [false, 3, 0],
      [false, 3, 0],
    ]);
  });

  test("windows are aligned to their length and every hit of a window has the same reset", async () => {
    await awayFromWindowEdge(3_600_000);
    const before = harness.now();
    const first = await harness.store.hit(key, 10, 3_600_000);
    const second = await harness.store.hit(key, 10, 3_600_000);
    expect(first.resetAt % 3_600_000).toBe(0);
    expect(first.resetAt).toBeGreaterThan(before);
    expect(first.resetAt).toBeLessThanOrEqual(before + 3_600_000 + 50);
    expect(second.resetAt).toBe(first.resetAt);
  });

  test("a new window starts with the full budget", async () => {
    await awayFromWindowEdge(1000, 300);
    await harness.store.hit(key, 2, 1000);
    await harness.store.hit(key, 2, 1000);
    const refused = await harness.store.hit(key, 2, 1000);
    expect(refused.allowed).toBe(false);

    await harness.advance(refused.resetAt - harness.now() + 20);
    const next = await harness.store.hit(key, 2, 1000);
    expect(next).toEqual({ allowed: true, limit: 2, remaining: 1, resetAt: refused.resetAt + 1000 });
  });

  test("keys, and window lengths of one key, have budgets of their own", async () => {
    await awayFromWindowEdge(3_600_000);
    await harness.store.hit(key, 1, 3_600_000);
    expect((await harness.store.hit(key, 1, 3_600_000)).allowed).toBe(false);
    expect((await harness.store.hit(`${key}-other`, 1, 3_600_000)).allowed).toBe(true);
    expect((await harness.store.hit(key, 1, 1_800_000)).allowed).toBe(true);
  });

  test.each([
    [0, 1000],
    [1.5, 1000],
    [10, 0],
    [10, -5],
  ])("refuses limit %j per %j ms as a misconfiguration", async (limit, windowMs) => {
    await expect(harness.store.hit(key, limit, windowMs)).rejects.toThrow(RangeError);
  });
}
