import { BadRequestError } from "@velaflows/kit";
import { idempotencyScopeKey, parseIdempotencyKey } from "./idempotency-key";

describe("parseIdempotencyKey", () => {
  test.each([
    ["a UUID", "4f9c2a4e-8f5b-4b63-9a6e-2f1d7c3b9e10"],
    ["one character", "x"],
    ["255 characters", "k".repeat(255)],
    ["every visible ASCII character", "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"],
  ])("accepts %s", (_, value) => {
    expect(parseIdempotencyKey(value)).toBe(value);
    expect(parseIdempotencyKey([value])).toBe(value);
  });

  test("absent is undefined", () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  test.each([
    ["empty", ""],
    ["256 characters", "k".repeat(256)],
    ["a space", "a b"],
    ["a repeated header, as node joins it", "key-1, key-2"],
    ["a control character", "key\u0001"],
    ["DEL", "key\u007f"],
    ["non-ASCII", "clé"],
  ])("refuses %s with a 400", (_, value) => {
    expect(() => parseIdempotencyKey(value)).toThrow(BadRequestError);
    expect(() => parseIdempotencyKey(value)).toThrow("Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)");
  });

  test("refuses two header values", () => {
    expect(() => parseIdempotencyKey(["a", "b"])).toThrow(new BadRequestError("Send exactly one Idempotency-Key header"));
  });
});

describe("idempotencyScopeKey", () => {
  test("is a SHA-256 hex digest, the same for the same caller and key", () => {
    expect(idempotencyScopeKey("token:t1", "w1", "k")).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyScopeKey("token:t1", "w1", "k")).toBe(idempotencyScopeKey("token:t1", "w1", "k"));
  });

  test("differs per principal, per workspace and per key, whatever the separators", () => {
    const keys = [
      idempotencyScopeKey("token:t1", "w1", "k"),
      idempotencyScopeKey("token:t2", "w1", "k"),
      idempotencyScopeKey("token:t1", "w2", "k"),
      idempotencyScopeKey("token:t1", undefined, "k"),
      idempotencyScopeKey("token:t1", "w1", "k2"),
      idempotencyScopeKey("token:t1:w1", "", "k"),
      idempotencyScopeKey("token:t1", "w1:k", ""),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
