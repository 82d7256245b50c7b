import { RateLimitClass } from "@velaflows/proto/es/velaflows/api/v1/annotations_pb";
import { DEFAULT_RATE_LIMIT_POLICY, loadRateLimitPolicy, parseRateLimitRule, rateLimitClassName, rateLimitRule } from "./rate-limit-policy";

describe("rate-limit policy", () => {
  test("the defaults follow the API overview: 100/15 s, 5/15 min, 10/min; bulk 10/min; 300/15 s per IP", () => {
    expect(loadRateLimitPolicy({})).toEqual({
      general: { limit: 100, windowMs: 15_000 },
      auth: { limit: 5, windowMs: 900_000 },
      upload: { limit: 10, windowMs: 60_000 },
      bulk: { limit: 10, windowMs: 60_000 },
      ip: { limit: 300, windowMs: 15_000 },
    });
  });

  test.each([
    [RateLimitClass.UNSPECIFIED, "general"],
    [RateLimitClass.GENERAL, "general"],
    [RateLimitClass.AUTH, "auth"],
    [RateLimitClass.UPLOAD, "upload"],
    [RateLimitClass.BULK, "bulk"],
    [99 as RateLimitClass, "general"],
  ])("class %s uses the %s budget", (rateLimitClass, name) => {
    expect(rateLimitClassName(rateLimitClass)).toBe(name);
    expect(rateLimitRule(DEFAULT_RATE_LIMIT_POLICY, rateLimitClass)).toBe(DEFAULT_RATE_LIMIT_POLICY[name as "general"]);
  });

  test("each variable overrides its budget; blank ones keep the default", () => {
    const policy = loadRateLimitPolicy({
      RATE_LIMIT_GENERAL: "200/30s",
      RATE_LIMIT_AUTH: " 20 / 15m ",
      RATE_LIMIT_UPLOAD: "",
      RATE_LIMIT_BULK: "10/15m",
      RATE_LIMIT_IP: "1000/1h",
    });
    expect(policy).toEqual({
      general: { limit: 200, windowMs: 30_000 },
      auth: { limit: 20, windowMs: 900_000 },
      upload: DEFAULT_RATE_LIMIT_POLICY.upload,
      bulk: { limit: 10, windowMs: 900_000 },
      ip: { limit: 1000, windowMs: 3_600_000 },
    });
    expect(Object.isFrozen(policy)).toBe(true);
  });

  test.each([
    ["100/15s", 100, 15_000],
    ["5/15m", 5, 900_000],
    ["10/1m", 10, 60_000],
    ["1/1h", 1, 3_600_000],
    ["7/90s", 7, 90_000],
  ])("parses %j", (value, limit, windowMs) => {
    expect(parseRateLimitRule("RATE_LIMIT_GENERAL", value)).toEqual({ limit, windowMs });
  });

  test.each([["100"], ["100/15"], ["100/s"], ["/15s"], ["100/15d"], ["1.5/15s"], ["-1/15s"], ["0/15s"], ["100/0s"], ["a/15s"], ["100/15 seconds"]])(
    "refuses %j, naming the variable and the value",
    (value) => {
      expect(() => loadRateLimitPolicy({ RATE_LIMIT_AUTH: value })).toThrow(
        new RegExp(`^Environment variable RATE_LIMIT_AUTH .*, got "${value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}" \\(expected <requests>/<number><s\\|m\\|h>`),
      );
    },
  );
});
