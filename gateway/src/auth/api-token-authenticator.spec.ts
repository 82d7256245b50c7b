import { createHash } from "node:crypto";
import { expectFailure } from "@velaflows/testing";
import type { Principal } from "../pipeline/principal";
import { API_TOKEN_PATTERN, createApiTokenAuthenticator, type ApiTokenAuthenticatorOptions } from "./api-token-authenticator";

const LIVE = "sk_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0";
const TEST = "sk_test_0123456789abcdefghijklmnopqrstuvwxyz0123";
const REVOKED = "sk_live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
const WORKSPACE = "64f1a2b3c4d5e6f7a8b9c0d1";

const principalOf = (id: string): Principal => ({ kind: "api_token", id, workspaceId: WORKSPACE, scopes: ["tags:read"], userId: "user-1" });

// The API Tokens service, as far as the gateway can tell: a lookup by token that counts its calls.
function tokenService(known: Record<string, Principal> = { [LIVE]: principalOf("tok-live"), [TEST]: principalOf("tok-test") }) {
  const calls: string[] = [];
  const verify = async (token: string) => {
    calls.push(token);
    return known[token];
  };
  return { verify, calls };
}

function fakeClock() {
  let time = 1_700_000_000_000;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe("createApiTokenAuthenticator", () => {
  const create = (options: Partial<ApiTokenAuthenticatorOptions> & Pick<ApiTokenAuthenticatorOptions, "verify">) =>
    createApiTokenAuthenticator(options);

  test.each([
    ["sk_live_ + 40", LIVE, true],
    ["sk_test_ + 40", TEST, true],
    ["39 characters of secret", LIVE.slice(0, -1), false],
    ["41 characters of secret", `${LIVE}a`, false],
    ["upper case", LIVE.toUpperCase(), false],
    ["an unknown environment", LIVE.replace("live", "prod"), false],
    ["punctuation in the secret", `${LIVE.slice(0, -1)}-`, false],
  ])("the format accepts %s: %s", (_, token, valid) => {
    expect(API_TOKEN_PATTERN.test(token)).toBe(valid);
  });

  test.each([["eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2ln"], ["pk_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0"], ["opaque"]])(
    "returns undefined for %j, which is not an API token",
    async (credential) => {
      const service = tokenService();
      expect(await create({ verify: service.verify }).authenticate(credential)).toBeUndefined();
      expect(service.calls).toEqual([]);
    },
  );

  test.each([["sk_live_short"], ["sk_live_A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q7R8S9T0"], ["sk_prod_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0"], ["sk_"]])(
    "refuses the malformed %j without asking the service",
    async (credential) => {
      const service = tokenService();
      expect(await expectFailure(create({ verify: service.verify }).authenticate(credential))).toMatchObject({
        code: "UNAUTHENTICATED",
        message: "Malformed API token",
      });
      expect(service.calls).toEqual([]);
    },
  );

  test.each([["live", LIVE, "tok-live"], ["test", TEST, "tok-test"]])("returns the principal of a valid %s token", async (_, token, id) => {
    const service = tokenService();
    expect(await create({ verify: service.verify }).authenticate(token)).toEqual(principalOf(id));
  });

  test("an unknown (revoked, expired) token is refused as invalid", async () => {
    const service = tokenService();
    expect(await expectFailure(create({ verify: service.verify }).authenticate(REVOKED))).toMatchObject({
      code: "UNAUTHENTICATED",
      message: "Invalid API token",
    });
  });

  test("calls verify once per token within the TTL, then again", async () => {
    const service = tokenService();
    const clock = fakeClock();
    const authenticator = create({ verify: service.verify, cacheTtlMs: 5_000, now: clock.now });
    await authenticator.authenticate(LIVE);
    clock.advance(4_999);
    await authenticator.authenticate(LIVE);
    await authenticator.authenticate(TEST);
    expect(service.calls).toEqual([LIVE, TEST]);
    clock.advance(1);
    await authenticator.authenticate(LIVE);
    expect(service.calls).toEqual([LIVE, TEST, LIVE]);
  });

  test("caches refusals too (negative caching), for the same TTL", async () => {
    const service = tokenService();
    const clock = fakeClock();
    const authenticator = create({ verify: service.verify, cacheTtlMs: 5_000, now: clock.now });
    for (let i = 0; i < 3; i++) await expectFailure(authenticator.authenticate(REVOKED));
    expect(service.calls).toEqual([REVOKED]);
    clock.advance(5_000);
    await expectFailure(authenticator.authenticate(REVOKED));
    expect(service.calls).toEqual([REVOKED, REVOKED]);
  });

  test("a token revoked after being cached keeps working at most for the TTL", async () => {
    const known: Record<string, Principal> = { [LIVE]: principalOf("tok-live") };
    const service = tokenService(known);
    const clock = fakeClock();
    const authenticator = create({ verify: service.verify, cacheTtlMs: 5_000, now: clock.now });
    await authenticator.authenticate(LIVE);
    delete known[LIVE];
    clock.advance(4_000);
    expect(await authenticator.authenticate(LIVE)).toMatchObject({ id: "tok-live" });
    clock.advance(1_000);
    expect(await expectFailure(authenticator.authenticate(LIVE))).toMatchObject({ message: "Invalid API token" });
  });

  test("concurrent requests with one token share one verify call", async () => {
    const service = tokenService();
    const authenticator = create({ verify: service.verify });
    const principals = await Promise.all(Array.from({ length: 5 }, () => authenticator.authenticate(LIVE)));
    expect(principals.every((principal) => principal?.id === "tok-live")).toBe(true);
    expect(service.calls).toEqual([LIVE]);
  });

  test("a failing verify (service down) is passed on and not cached", async () => {
    let down = true;
    const verify = jest.fn(async () => {
      if (down) throw new Error("api-tokens unavailable");
      return principalOf("tok-live");
    });
    const authenticator = create({ verify });
    await expect(authenticator.authenticate(LIVE)).rejects.toThrow("api-tokens unavailable");
    down = false;
    expect(await authenticator.authenticate(LIVE)).toMatchObject({ id: "tok-live" });
    expect(verify).toHaveBeenCalledTimes(2);
  });

  test("cacheTtlMs 0 asks the service every time", async () => {
    const service = tokenService();
    const authenticator = create({ verify: service.verify, cacheTtlMs: 0 });
    await authenticator.authenticate(LIVE);
    await authenticator.authenticate(LIVE);
    expect(service.calls).toEqual([LIVE, LIVE]);
  });

  test("the cache is bounded: the oldest token is forgotten first", async () => {
    const tokens = Array.from({ length: 4 }, (_, i) => `sk_live_${String(i).repeat(40)}`);
    const service = tokenService(Object.fromEntries(tokens.map((token, i) => [token, principalOf(`tok-${i}`)])));
    const authenticator = create({ verify: service.verify, cacheMaxEntries: 3 });
    for (const token of tokens) await authenticator.authenticate(token);
    await authenticator.authenticate(tokens[3]!);
    await authenticator.authenticate(tokens[0]!);
    expect(service.calls).toEqual([...tokens, tokens[0]]);
  });

  test("the raw token is never a cache key: only its SHA-256 is kept", async () => {
    // White-box: record every key written to any Map while a token is authenticated and cached.
    const keys: unknown[] = [];
    const originalSet = Map.prototype.set;
    const spy = jest.spyOn(Map.prototype, "set").mockImplementation(function (this: Map<unknown, unknown>, key, value) {
      keys.push(key);
      return originalSet.call(this, key, value);
    });
    try {
      const service = tokenService();
      await create({ verify: service.verify }).authenticate(LIVE);
    } finally {
      spy.mockRestore();
    }
    expect(keys).not.toContain(LIVE);
    expect(keys).toContain(createHash("sha256").update(LIVE).digest("base64url"));
  });
});
