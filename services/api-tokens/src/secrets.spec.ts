import { createHash } from "node:crypto";
import { outboxOf, startApiTokensHarness, type ApiTokensHarness } from "./test-harness";

// A secret is shown once, in the answer of the create or rotate that made it, and nowhere else:
// not in reads, not in events, not in the service's logs (at debug level, where every call is logged).
let harness: ApiTokensHarness;
beforeAll(async () => {
  harness = await startApiTokensHarness({ LOG_LEVEL: "debug" });
});
afterAll(() => harness.stop());

test("every change writes its event to the outbox, without the secret or its hash", async () => {
  const client = harness.workspace();
  const created = await client.createApiToken({ name: "Audited", scopes: ["tags:read"] });
  const id = created.token!.id;
  await client.updateApiToken({ id, token: { name: "Audited" }, updateMask: ["name"] }); // no change, no event
  await client.updateApiToken({ id, token: { name: "Renamed", scopes: ["tags:write"] }, updateMask: ["name", "scopes"] });
  const rotated = await client.rotateApiToken({ id });
  await client.revokeApiToken({ id });
  await client.revokeApiToken({ id }); // already revoked, no event
  await client.deleteApiToken({ id });
  await client.createApiToken({ name: "Refused", scopes: ["planets:read"] }).catch(() => undefined); // refused, no event

  const events = await outboxOf(harness.db, client.workspaceId);
  expect(events.map((e) => e.event_type)).toEqual([
    "api-tokens.token.created",
    "api-tokens.token.updated",
    "api-tokens.token.rotated",
    "api-tokens.token.revoked",
    "api-tokens.token.deleted",
  ]);
  for (const event of events) expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);
  expect(events[0]!.data).toMatchObject({ token: { _id: id, name: "Audited", prefix: created.token!.prefix, scopes: ["tags:read"], status: "active" } });
  expect(events[1]!.data).toMatchObject({ changedFields: ["name", "scopes"], token: { name: "Renamed", scopes: ["tags:write"] } });
  expect(events[2]!.data).toMatchObject({ token: { _id: id, prefix: rotated.secret.slice(0, 16) } });
  expect(events[3]!.data).toMatchObject({ token: { _id: id, status: "revoked", revokedBy: client.userId } });
  expect(events[4]!.data).toEqual({ tokenId: id, name: "Renamed", prefix: rotated.secret.slice(0, 16) });

  const outboxText = JSON.stringify(events);
  for (const secret of [created.secret, rotated.secret]) {
    expect(outboxText).not.toContain(secret);
    expect(outboxText).not.toContain(secret.slice(16)); // not even the part after the visible prefix
    expect(outboxText).not.toContain(sha256(secret));
  }
});

test("reads never show a secret or its hash; the database keeps only the hash", async () => {
  const client = harness.workspace();
  const { token, secret } = await client.createApiToken({ name: "Hidden", scopes: ["tags:read"] });
  await harness.verify(secret);
  const reads = JSON.stringify([
    await client.getApiToken({ id: token!.id }),
    await client.listApiTokens({}),
    await client.listApiTokens({ search: token!.prefix }),
    await client.updateApiToken({ id: token!.id, token: { name: "Still hidden" }, updateMask: ["name"] }),
    await client.revokeApiToken({ id: token!.id }),
  ]);
  expect(reads).not.toContain(secret.slice(16));
  expect(reads).not.toContain(sha256(secret));

  const { rows } = await harness.db.query(`SELECT * FROM "api_tokens"."api_tokens" WHERE "id" = $1`, [token!.id]);
  expect(rows[0].token_hash).toBe(sha256(secret));
  expect(JSON.stringify(rows)).not.toContain(secret.slice(16));
});

test("no secret or hash reaches the service's log lines", async () => {
  const client = harness.workspace();
  const { token, secret } = await client.createApiToken({ name: "Logged", scopes: ["tags:read"] });
  const { secret: rotatedSecret } = await client.rotateApiToken({ id: token!.id });
  await harness.verify(rotatedSecret);
  await harness.verify(secret); // the old one: not valid
  await harness.verify(`${rotatedSecret}x`); // malformed
  await client.createApiToken({ name: "Refused", scopes: ["*", "planets:read"] }).catch(() => undefined);
  await harness.workspace({ permissions: [] }).createApiToken({ name: "Refused", scopes: ["tags:read"] }).catch(() => undefined);

  await new Promise((r) => setTimeout(r, 100)); // let pino flush
  const logs = harness.logs();
  expect(logs).toContain("VerifyApiToken"); // the calls were logged (debug), so the check below means something
  expect(logs).toContain("CreateApiToken");
  for (const value of [secret, rotatedSecret]) {
    expect(logs).not.toContain(value.slice(16));
    expect(logs).not.toContain(sha256(value));
  }
});

test("with a pepper, the stored hash is an HMAC the token alone cannot reproduce", async () => {
  const peppered = await startApiTokensHarness({ API_TOKENS_PEPPER: "a-pepper-of-at-least-thirty-two-characters" });
  try {
    const client = peppered.workspace();
    const { token, secret } = await client.createApiToken({ name: "Peppered", scopes: ["tags:read"] });
    expect(await peppered.verify(secret)).toMatchObject({ valid: true, tokenId: token!.id });
    const { rows } = await peppered.db.query(`SELECT "token_hash" FROM "api_tokens"."api_tokens" WHERE "id" = $1`, [token!.id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toBe(sha256(secret));
    // A replica without the pepper cannot verify it.
    expect((await harness.verify(secret)).valid).toBe(false);
  } finally {
    await peppered.stop();
  }
});

test("a pepper too short to help is refused at start-up", async () => {
  await expect(startApiTokensHarness({ API_TOKENS_PEPPER: "short" })).rejects.toThrow("API_TOKENS_PEPPER must be at least 32 characters");
});

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
