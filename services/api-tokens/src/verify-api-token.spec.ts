import { expectFailure } from "@velaflows/testing";
import { expireToken, startApiTokensHarness, type ApiTokensHarness } from "./test-harness";

// VerifyApiToken as the gateway calls it: no workspace, a token from an Authorization header.
let harness: ApiTokensHarness;
beforeAll(async () => {
  harness = await startApiTokensHarness();
});
afterAll(() => harness.stop());

const INVALID = { valid: false, tokenId: "", workspaceId: "", scopes: [], createdBy: "", environment: "" };

test("a new token verifies, naming its workspace, scopes, creator and environment", async () => {
  const client = harness.workspace();
  const expiresAt = new Date(Date.now() + 3_600_000);
  const { token, secret } = await client.createApiToken({ name: "Gateway", scopes: ["tags:read", "tags:write"], environment: "test", expiresAt });
  expect(await harness.verify(secret)).toEqual({
    valid: true,
    tokenId: token!.id,
    workspaceId: client.workspaceId,
    scopes: ["tags:read", "tags:write"],
    createdBy: client.userId,
    environment: "test",
    expiresAt,
  });
});

test("a token that never expires verifies without an expiry", async () => {
  const { secret } = await harness.workspace().createApiToken({ name: "Forever", scopes: ["*"] });
  const answer = await harness.verify(secret);
  expect(answer).toMatchObject({ valid: true, scopes: ["*"], environment: "live" });
  expect(answer.expiresAt).toBeUndefined();
});

test("a revoked token stops verifying at once", async () => {
  const client = harness.workspace();
  const { token, secret } = await client.createApiToken({ name: "Revoked", scopes: ["tags:read"] });
  expect((await harness.verify(secret)).valid).toBe(true);
  await client.revokeApiToken({ id: token!.id });
  expect(await harness.verify(secret)).toEqual(INVALID);
});

test("after a rotation the old secret fails and the new one verifies as the same token", async () => {
  const client = harness.workspace();
  const { token, secret: oldSecret } = await client.createApiToken({ name: "Rotated", scopes: ["tags:read"] });
  const { secret: newSecret } = await client.rotateApiToken({ id: token!.id });
  expect(await harness.verify(oldSecret)).toEqual(INVALID);
  expect(await harness.verify(newSecret)).toMatchObject({ valid: true, tokenId: token!.id });
});

test("a token stops verifying when its expiry passes, and shows as expired", async () => {
  const client = harness.workspace();
  const { token, secret } = await client.createApiToken({ name: "Brief", scopes: ["tags:read"], expiresAt: new Date(Date.now() + 1_000) });
  expect((await harness.verify(secret)).valid).toBe(true);
  await new Promise((r) => setTimeout(r, 1_100));
  expect(await harness.verify(secret)).toEqual(INVALID);
  expect((await client.getApiToken({ id: token!.id })).token!.status).toBe("expired");
  expect((await client.listApiTokens({ status: "expired" })).items.map((t) => t.id)).toEqual([token!.id]);
});

test("a token expired in the database stops verifying", async () => {
  const { token, secret } = await harness.workspace().createApiToken({ name: "Lapsed", scopes: ["tags:read"] });
  await expireToken(harness.db, token!.id);
  expect(await harness.verify(secret)).toEqual(INVALID);
});

test.each([
  ["an unknown token of the right form", `sk_live_${"a".repeat(40)}`],
  ["a token with a changed character", "CHANGED"],
  ["a token of the wrong environment", "ENVIRONMENT"],
  ["a truncated token", "TRUNCATED"],
  ["upper-case characters", "UPPER"],
  ["a JWT", "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"],
  ["an empty-looking token", " "],
])("%s is not valid (and not an error)", async (_, kind) => {
  const { secret } = await harness.workspace().createApiToken({ name: "Real", scopes: ["tags:read"] });
  const last = secret.at(-1) === "a" ? "b" : "a";
  const variants: Record<string, string> = {
    CHANGED: secret.slice(0, -1) + last,
    ENVIRONMENT: secret.replace("sk_live_", "sk_test_"),
    TRUNCATED: secret.slice(0, -1),
    UPPER: secret.toUpperCase(),
  };
  expect(await harness.verify(variants[kind] ?? kind)).toEqual(INVALID);
});

test("an empty token or an oversized one is a malformed request", async () => {
  for (const token of ["", "x".repeat(201)]) {
    expect((await expectFailure(harness.verify(token))).code).toBe("INVALID_ARGUMENT");
  }
});

test("a use is recorded as lastUsedAt, at most once a minute", async () => {
  const client = harness.workspace();
  const { token, secret } = await client.createApiToken({ name: "Used", scopes: ["tags:read"] });
  await harness.verify(secret);
  const first = await waitForLastUse(client, token!.id);
  await harness.verify(secret);
  await new Promise((r) => setTimeout(r, 200));
  expect((await client.getApiToken({ id: token!.id })).token!.lastUsedAt).toEqual(first);

  // Another replica judges by the row: nothing to record within the minute, then a minute later
  // (moved back in the database) the next use is recorded again.
  const replica = await startApiTokensHarness();
  try {
    await replica.verify(secret);
    await new Promise((r) => setTimeout(r, 200));
    expect((await client.getApiToken({ id: token!.id })).token!.lastUsedAt).toEqual(first);
    await harness.db.query(`UPDATE "api_tokens"."api_tokens" SET "last_used_at" = now() - interval '61 seconds' WHERE "id" = $1`, [token!.id]);
    const old = (await client.getApiToken({ id: token!.id })).token!.lastUsedAt!;
    await replica.verify(secret);
    await waitFor(async () => (await client.getApiToken({ id: token!.id })).token!.lastUsedAt!.getTime() > old.getTime());
  } finally {
    await replica.stop();
  }
});

test("1,000 concurrent verifications of many tokens all answer correctly", async () => {
  const client = harness.workspace();
  const other = harness.workspace();
  const tokens = await Promise.all([
    client.createApiToken({ name: "one", scopes: ["tags:read"] }),
    client.createApiToken({ name: "two", scopes: ["tags:write"], environment: "test" }),
    other.createApiToken({ name: "three", scopes: ["*"] }),
    client.createApiToken({ name: "revoked", scopes: ["tags:read"] }),
  ]);
  await client.revokeApiToken({ id: tokens[3].token!.id });
  const cases = Array.from({ length: 1_000 }, (_, i) => {
    if (i % 5 === 4) return { secret: `sk_live_${i.toString(36).padStart(40, "0")}`, expected: INVALID };
    const issued = tokens[i % 4]!;
    if (i % 4 === 3) return { secret: issued.secret, expected: INVALID };
    return { secret: issued.secret, expected: { valid: true, tokenId: issued.token!.id, workspaceId: issued.token!.workspaceId, scopes: issued.token!.scopes } };
  });
  const answers = await Promise.all(cases.map((c) => harness.verify(c.secret)));
  answers.forEach((answer, i) => expect(answer).toMatchObject(cases[i]!.expected));
});

async function waitForLastUse(client: ReturnType<ApiTokensHarness["workspace"]>, id: string): Promise<Date> {
  let seen: Date | undefined;
  await waitFor(async () => {
    seen = (await client.getApiToken({ id })).token!.lastUsedAt;
    return seen !== undefined;
  });
  return seen!;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
