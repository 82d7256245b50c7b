import { sameJson } from "./same-json";

test("equal as JSON regardless of key order, at any depth", () => {
  expect(sameJson({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
  expect(sameJson([1, 2], [2, 1])).toBe(false);
  expect(sameJson(null, undefined)).toBe(true);
  expect(sameJson("x", "y")).toBe(false);
  expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
});
