import { isObjectId, newObjectId, objectIdTime } from "./object-id";

const COUNTER_SPACE = 0x1000000; // the 3-byte counter wraps here
const counterOf = (id: string): number => parseInt(id.slice(18), 16);

describe("newObjectId", () => {
  test("is 24 lower-case hex characters", () => {
    const id = newObjectId();
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(isObjectId(id)).toBe(true);
  });

  test("starts with the creation time in seconds", () => {
    const id = newObjectId(new Date("2030-01-02T03:04:05.678Z"));
    expect(id.slice(0, 8)).toBe((Date.UTC(2030, 0, 2, 3, 4, 5) / 1000).toString(16));
    expect(objectIdTime(id)).toEqual(new Date("2030-01-02T03:04:05.000Z"));
  });

  test("shares the process part between ids and counts up by one, wrapping at 2^24", () => {
    const now = new Date();
    const ids = Array.from({ length: 1000 }, () => newObjectId(now));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 18))).size).toBe(1);
    for (let i = 1; i < ids.length; i++) {
      expect(counterOf(ids[i]!)).toBe((counterOf(ids[i - 1]!) + 1) % COUNTER_SPACE);
    }
  });

  test("orders ids made in sequence within one second, except across a counter wrap", () => {
    const now = new Date();
    const ids = Array.from({ length: 1000 }, () => newObjectId(now));
    for (let i = 1; i < ids.length; i++) {
      const wrapped = counterOf(ids[i]!) === 0;
      expect(ids[i]! > ids[i - 1]!).toBe(!wrapped);
    }
  });

  test("orders by time before the counter", () => {
    const start = Date.UTC(2026, 0, 1);
    // Made newest first, so the counter runs against the time order.
    const ids = Array.from({ length: 50 }, (_, i) => newObjectId(new Date(start + (50 - i) * 1000)));
    expect([...ids].sort()).toEqual([...ids].reverse());
  });
});

describe("isObjectId", () => {
  test.each([
    ["65f1a2b3c4d5e6f7a8b9c0d1", true],
    ["000000000000000000000000", true],
    ["65F1A2B3C4D5E6F7A8B9C0D1", false],
    ["65f1a2b3c4d5e6f7a8b9c0d", false],
    ["65f1a2b3c4d5e6f7a8b9c0d1a", false],
    ["65f1a2b3c4d5e6f7a8b9c0dg", false],
    [" 65f1a2b3c4d5e6f7a8b9c0d1", false],
    ["", false],
  ])("%j → %s", (value, expected) => {
    expect(isObjectId(value)).toBe(expected);
  });
});

describe("objectIdTime", () => {
  test("reads back the second an id was made", () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const time = objectIdTime(newObjectId()).getTime();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});
