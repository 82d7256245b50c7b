import { rateLimitHeaders, retryAfterSeconds } from "./rate-limit-headers";

describe("rateLimitHeaders", () => {
  test("gives limit, remaining and the reset in Unix seconds, rounded up", () => {
    expect(rateLimitHeaders({ allowed: true, limit: 300, remaining: 297, resetAt: 1_711_296_000_000 })).toEqual({
      "X-RateLimit-Limit": "300",
      "X-RateLimit-Remaining": "297",
      "X-RateLimit-Reset": "1711296000",
    });
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 0, resetAt: 1_711_296_000_001 })["X-RateLimit-Reset"]).toBe("1711296001");
  });
});

describe("retryAfterSeconds", () => {
  const decision = { allowed: false, limit: 5, remaining: 0, resetAt: 1_000_000 };
  test.each([
    [1_000_000 - 45_000, 45],
    [1_000_000 - 44_001, 45],
    [1_000_000 - 1, 1],
    [1_000_000, 1],
    [1_000_500, 1],
  ])("at %j → %j s", (now, expected) => {
    expect(retryAfterSeconds(decision, now)).toBe(expected);
  });
});
