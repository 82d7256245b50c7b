import { randomUUID } from "node:crypto";
import type { IdempotencyStore, StoredResponse } from "./idempotency-store";

/** What the shared idempotency store tests need from one implementation. */
export interface IdempotencyStoreHarness {
  store: IdempotencyStore;
  /** Lets `ms` pass for the store (a fake clock moves; a real one is waited for). */
  advance(ms: number): Promise<void>;
}

const RESPONSE: StoredResponse = {
  status: 201,
  headers: { "content-type": "application/json", "x-request-id": "req-1" },
  body: '{"success":true,"data":{"id":"665f1c2e9b1d4a0012345678","name":"VIP ✓"}}',
};
const HOUR = 3_600_000;

/**
 * The behaviour every {@link IdempotencyStore} shares, as jest tests. Each test uses keys of its
 * own, so a shared server may be used.
 */
export function idempotencyStoreContract(setup: () => Promise<IdempotencyStoreHarness>): void {
  let harness: IdempotencyStoreHarness;
  let key: string;

  beforeEach(async () => {
    harness = await setup();
    key = `test-${randomUUID()}`;
  });
  afterEach(async () => {
    await harness.store.close();
  });

  test("the first claim wins; the same request again is in flight, another request is a mismatch", async () => {
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "claimed" });
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "in_flight" });
    expect(await harness.store.claim(key, "fp-b", HOUR)).toEqual({ state: "mismatch" });
  });

  test("a completed key replays its response to the same request and refuses another", async () => {
    await harness.store.claim(key, "fp-a", HOUR);
    await harness.store.complete(key, "fp-a", RESPONSE, HOUR);
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "completed", response: RESPONSE });
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "completed", response: RESPONSE });
    expect(await harness.store.claim(key, "fp-b", HOUR)).toEqual({ state: "mismatch" });
  });

  test("release frees an in-flight claim, so a retry runs", async () => {
    await harness.store.claim(key, "fp-a", HOUR);
    await harness.store.release(key);
    expect(await harness.store.claim(key, "fp-b", HOUR)).toEqual({ state: "claimed" });
  });

  test("release leaves a completed key alone, and does nothing for an unknown key", async () => {
    await harness.store.claim(key, "fp-a", HOUR);
    await harness.store.complete(key, "fp-a", RESPONSE, HOUR);
    await harness.store.release(key);
    await harness.store.release(`${key}-unknown`);
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "completed", response: RESPONSE });
  });

  test("an in-flight claim expires after its TTL", async () => {
    await harness.store.claim(key, "fp-a", 150);
    await harness.advance(300);
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "claimed" });
  });

  test("a completed key is kept for the completion TTL, not the claim's", async () => {
    await harness.store.claim(key, "fp-a", 150);
    await harness.store.complete(key, "fp-a", RESPONSE, 600);
    await harness.advance(300);
    expect((await harness.store.claim(key, "fp-a", HOUR)).state).toBe("completed");
    await harness.advance(450);
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "claimed" });
  });

  test("complete does not overwrite a key that another request holds now", async () => {
    await harness.store.claim(key, "fp-a", 150);
    await harness.advance(300); // A's claim expired (A is slow) ...
    await harness.store.claim(key, "fp-b", HOUR); // ... and B took the key
    await harness.store.complete(key, "fp-a", RESPONSE, HOUR);
    expect(await harness.store.claim(key, "fp-b", HOUR)).toEqual({ state: "in_flight" });
  });

  test("complete stores the response even when the claim has expired meanwhile", async () => {
    await harness.store.claim(key, "fp-a", 150);
    await harness.advance(300);
    await harness.store.complete(key, "fp-a", RESPONSE, HOUR);
    expect(await harness.store.claim(key, "fp-a", HOUR)).toEqual({ state: "completed", response: RESPONSE });
  });

  test("keys are independent", async () => {
    await harness.store.claim(key, "fp-a", HOUR);
    expect(await harness.store.claim(`${key}-other`, "fp-b", HOUR)).toEqual({ state: "claimed" });
  });
}
