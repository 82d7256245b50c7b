import { canonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  test.each([
    ['{ "b": 1, "a": [ 1, 2 ] }', '{"a":[1,2],"b":1}'],
    ['{"z":{"y":true,"x":null},"a":"s"}', '{"a":"s","z":{"x":null,"y":true}}'],
    ['\n\t[ ]\r\n', "[]"],
    ["{ }", "{}"],
    ['"\\u0041\\/"', '"A/"'],
    ['"tab\\there \\u00e9 ✓"', '"tab\\there é ✓"'],
    ["9007199254740993", "9007199254740993"],
    ["-0.10e+5", "-0.10e+5"],
    ['{"a":1,"a":2}', '{"a":1,"a":2}'],
    ['{"b":1,"a":2,"a":1}', '{"a":2,"a":1,"b":1}'],
  ])("%j → %j", (text, expected) => {
    expect(canonicalJson(text)).toBe(expected);
  });

  test("keeps number text, so values that parse to the same double stay apart", () => {
    expect(canonicalJson('{"qty":9007199254740993}')).not.toBe(canonicalJson('{"qty":9007199254740992}'));
    expect(canonicalJson("1.0")).not.toBe(canonicalJson("1"));
  });

  test.each([[""], ["{"], ['{"a":1,}'], ["[1 2]"], ["01"], ["+1"], ["1."], ["'x'"], ['"raw\ttab"'], ['"\\x"'], ["nul"], ["truex"], ["{} {}"], ['{"a" 1}'], ["[1,]"]])(
    "%j is not JSON",
    (text) => {
      expect(canonicalJson(text)).toBeUndefined();
    },
  );

  test("documents nested deeper than the limit are not JSON (no stack overflow)", () => {
    expect(canonicalJson("[".repeat(10) + "]".repeat(10), 10)).toBe("[".repeat(10) + "]".repeat(10));
    expect(canonicalJson("[".repeat(11) + "]".repeat(11), 10)).toBeUndefined();
    expect(canonicalJson("[".repeat(100_000) + "]".repeat(100_000))).toBeUndefined();
  });

  test("handles a large body in linear time", () => {
    const big = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item ${i}`, text: "x".repeat(40) })) });
    const started = Date.now();
    expect(canonicalJson(big)).toBeDefined();
    expect(canonicalJson(JSON.stringify({ text: "y".repeat(5_000_000) }))).toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
