import { expectFailure } from "@velaflows/testing";
import { expireToken, startApiTokensHarness, type ApiTokensHarness } from "./test-harness";

let harness: ApiTokensHarness;
beforeAll(async () => {
  harness = await startApiTokensHarness();
});
afterAll(() => harness.stop());

const MISSING_ID = "0123456789abcdef01234567";

describe("CreateApiToken", () => {
  test("returns the metadata and, once, a secret of the documented form", async () => {
    const client = harness.workspace();
    const { token, secret } = await client.createApiToken({ name: "  Zapier Integration ", scopes: ["tags:write", "tags:read", "tags:read"] });
    expect(secret).toMatch(/^sk_live_[a-z0-9]{40}$/);
    expect(secret).toHaveLength(48);
    expect(token).toMatchObject({
      workspaceId: client.workspaceId,
      name: "Zapier Integration",
      prefix: secret.slice(0, 16),
      scopes: ["tags:read", "tags:write"],
      status: "active",
      environment: "live",
      createdBy: client.userId,
      revokedBy: "",
    });
    expect(token!.id).toMatch(/^[0-9a-f]{24}$/);
    expect(token!.lastUsedAt).toBeUndefined();
    expect(token!.expiresAt).toBeUndefined();
    expect(token!.createdAt).toBeInstanceOf(Date);
  });

  test("makes sk_test_ tokens for the test environment, with an expiry", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { token, secret } = await harness.workspace().createApiToken({ name: "Sandbox", scopes: ["*"], environment: "test", expiresAt });
    expect(secret).toMatch(/^sk_test_[a-z0-9]{40}$/);
    expect(token).toMatchObject({ environment: "test", prefix: secret.slice(0, 16), scopes: ["*"] });
    expect(token!.expiresAt!.getTime()).toBe(expiresAt.getTime());
  });

  test("reduces a scope list holding * to *", async () => {
    const { token } = await harness.workspace().createApiToken({ name: "All", scopes: ["tags:read", "*"] });
    expect(token!.scopes).toEqual(["*"]);
  });

  test("draws every secret fresh and evenly from [a-z0-9]", async () => {
    const client = harness.workspace();
    const secrets = await Promise.all(Array.from({ length: 50 }, (_, i) => client.createApiToken({ name: `t${i}`, scopes: ["tags:read"] }).then((r) => r.secret)));
    expect(new Set(secrets).size).toBe(50);
    const counts = new Map<string, number>();
    for (const secret of secrets) for (const c of secret.slice(8)) counts.set(c, (counts.get(c) ?? 0) + 1);
    // 2,000 characters over 36 symbols: about 56 each; every symbol shows up, none dominates.
    expect(counts.size).toBe(36);
    expect(Math.max(...counts.values())).toBeLessThan(110);
  });

  test.each([
    ["an empty name", { name: "", scopes: ["tags:read"] }, [{ path: "name", message: "is required" }]],
    ["a blank name", { name: "   ", scopes: ["tags:read"] }, [{ path: "name", message: "is required" }]],
    ["a 101-character name", { name: "x".repeat(101), scopes: ["tags:read"] }, [{ path: "name", message: "must be at most 100 characters" }]],
    ["no scopes", { name: "a", scopes: [] }, [{ path: "scopes", message: "is required" }]],
    ["an unknown environment", { name: "a", scopes: ["tags:read"], environment: "prod" }, [{ path: "environment", message: "must be one of: live, test" }]],
    ["an expiry in the past", { name: "a", scopes: ["tags:read"], expiresAt: new Date(Date.now() - 1000) }, [{ path: "expiresAt", message: "must be in the future" }]],
  ])("refuses %s with the field path", async (_, request, violations) => {
    const failure = await expectFailure(harness.workspace().createApiToken(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });

  test("accepts a 100-character name counted in characters", async () => {
    const { token } = await harness.workspace().createApiToken({ name: "é".repeat(100), scopes: ["tags:read"] });
    expect([...token!.name]).toHaveLength(100);
  });

  test("needs the user the token will act for", async () => {
    const { Metadata } = await import("@grpc/grpc-js");
    const metadata = new Metadata();
    metadata.set("x-workspace-id", harness.workspace().workspaceId);
    metadata.set("x-permissions", "*");
    const failure = await expectFailure(
      harness.raw.createApiToken({ name: "Nobody's", scopes: ["tags:read"], environment: "" }, { metadata }),
    );
    expect(failure.code).toBe("UNAUTHENTICATED");
  });
});

describe("GetApiToken", () => {
  test("returns the token without its secret", async () => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Returning", scopes: ["tags:read"] });
    expect((await client.getApiToken({ id: token!.id })).token).toEqual(token);
  });

  test("answers NOT_FOUND with the resource id", async () => {
    const failure = await expectFailure(harness.workspace().getApiToken({ id: MISSING_ID }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "ApiToken", id: MISSING_ID } });
  });

  test("refuses a malformed id", async () => {
    const failure = await expectFailure(harness.workspace().getApiToken({ id: "nope" }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "id", message: "must be a 24-character hex id" }] });
  });

  test("shows status expired once the expiry passes", async () => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Short-lived", scopes: ["tags:read"], expiresAt: new Date(Date.now() + 60_000) });
    await expireToken(harness.db, token!.id);
    expect((await client.getApiToken({ id: token!.id })).token!.status).toBe("expired");
  });
});

describe("UpdateApiToken", () => {
  test("changes only the fields in the mask", async () => {
    const client = harness.workspace();
    const { token, secret } = await client.createApiToken({ name: "Before", scopes: ["tags:read"] });
    const { token: renamed } = await client.updateApiToken({ id: token!.id, token: { name: "After", scopes: ["*"] }, updateMask: ["name"] });
    expect(renamed).toMatchObject({ name: "After", scopes: ["tags:read"], prefix: token!.prefix });
    const { token: widened } = await client.updateApiToken({ id: token!.id, token: { scopes: ["tags:write", "api-tokens:read"] }, updateMask: ["scopes"] });
    expect(widened).toMatchObject({ name: "After", scopes: ["api-tokens:read", "tags:write"] });
    // The secret is unchanged and now carries the new scopes.
    expect(await harness.verify(secret)).toMatchObject({ valid: true, scopes: ["api-tokens:read", "tags:write"] });
  });

  test("without a mask, changes the fields given non-default values", async () => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Masked", scopes: ["tags:read"] });
    const { token: updated } = await client.updateApiToken({ id: token!.id, token: { name: "Renamed" } });
    expect(updated).toMatchObject({ name: "Renamed", scopes: ["tags:read"] });
  });

  test.each([
    ["an unknown mask path", { token: { name: "x" }, updateMask: ["prefix"] }, "updateMask"],
    ["a blank name", { token: { name: "  " }, updateMask: ["name"] }, "token.name"],
    ["no scopes", { token: { scopes: [] }, updateMask: ["scopes"] }, "token.scopes"],
    ["an unknown scope", { token: { scopes: ["tags:read", "planets:read"] }, updateMask: ["scopes"] }, "token.scopes[1]"],
  ])("refuses %s", async (_, request, path) => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Target", scopes: ["tags:read"] });
    const failure = await expectFailure(client.updateApiToken({ id: token!.id, ...request }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual([path]);
  });

  test("answers NOT_FOUND for an unknown token", async () => {
    const failure = await expectFailure(harness.workspace().updateApiToken({ id: MISSING_ID, token: { name: "x" } }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "ApiToken", id: MISSING_ID } });
  });
});

describe("RevokeApiToken", () => {
  test("revokes for good, records who did it, and is idempotent", async () => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Doomed", scopes: ["tags:read"] });
    const { token: revoked } = await client.revokeApiToken({ id: token!.id });
    expect(revoked).toMatchObject({ status: "revoked", revokedBy: client.userId });
    expect(revoked!.revokedAt).toBeInstanceOf(Date);
    const { token: again } = await client.revokeApiToken({ id: token!.id });
    expect(again).toEqual(revoked);
  });

  test("answers NOT_FOUND for an unknown token", async () => {
    expect((await expectFailure(harness.workspace().revokeApiToken({ id: MISSING_ID }))).code).toBe("NOT_FOUND");
  });
});

describe("RotateApiToken", () => {
  test("issues a new secret for the same token", async () => {
    const client = harness.workspace();
    const { token, secret } = await client.createApiToken({ name: "Rotating", scopes: ["tags:read"], environment: "test" });
    const rotated = await client.rotateApiToken({ id: token!.id });
    expect(rotated.secret).toMatch(/^sk_test_[a-z0-9]{40}$/);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.token).toMatchObject({ id: token!.id, name: "Rotating", scopes: ["tags:read"], status: "active", prefix: rotated.secret.slice(0, 16) });
    expect(rotated.token!.rotatedAt).toBeInstanceOf(Date);
  });

  test.each([
    ["a revoked", "API_TOKEN_REVOKED"],
    ["an expired", "API_TOKEN_EXPIRED"],
  ])("refuses %s token", async (state, reason) => {
    const client = harness.workspace();
    const { token } = await client.createApiToken({ name: "Gone", scopes: ["tags:read"] });
    if (state === "a revoked") await client.revokeApiToken({ id: token!.id });
    else await expireToken(harness.db, token!.id);
    expect(await expectFailure(client.rotateApiToken({ id: token!.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason });
  });

  test("answers NOT_FOUND for an unknown token", async () => {
    expect((await expectFailure(harness.workspace().rotateApiToken({ id: MISSING_ID }))).code).toBe("NOT_FOUND");
  });
});

describe("DeleteApiToken", () => {
  test("deletes the token", async () => {
    const client = harness.workspace();
    const { token, secret } = await client.createApiToken({ name: "Deleted", scopes: ["tags:read"] });
    expect(await client.deleteApiToken({ id: token!.id })).toEqual({});
    expect((await expectFailure(client.getApiToken({ id: token!.id }))).code).toBe("NOT_FOUND");
    expect((await expectFailure(client.deleteApiToken({ id: token!.id }))).code).toBe("NOT_FOUND");
    expect((await harness.verify(secret)).valid).toBe(false);
  });
});

describe("ListApiTokens", () => {
  test("pages with totals, newest first by default", async () => {
    const client = harness.workspace();
    for (const name of ["a", "b", "c", "d", "e"]) await client.createApiToken({ name, scopes: ["tags:read"] });
    const first = await client.listApiTokens({ limit: 2 });
    expect(first.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    const pages = [first, await client.listApiTokens({ limit: 2, page: 2 }), await client.listApiTokens({ limit: 2, page: 3 })];
    expect(pages.flatMap((p) => p.items.map((t) => t.name))).toEqual(["e", "d", "c", "b", "a"]);
    expect((await client.listApiTokens({ limit: 2, page: 4 })).items).toEqual([]);
  });

  test("sorts by name ignoring case, by last use and by expiry", async () => {
    const client = harness.workspace();
    const { token: banana, secret } = await client.createApiToken({ name: "banana", scopes: ["tags:read"], expiresAt: new Date(Date.now() + 3_600_000) });
    await client.createApiToken({ name: "Apple", scopes: ["tags:read"], expiresAt: new Date(Date.now() + 7_200_000) });
    await client.createApiToken({ name: "cherry", scopes: ["tags:read"] });
    const names = async (sortBy: string, sortOrder: string) => (await client.listApiTokens({ sortBy, sortOrder })).items.map((t) => t.name);
    expect(await names("name", "asc")).toEqual(["Apple", "banana", "cherry"]);
    expect(await names("name", "desc")).toEqual(["cherry", "banana", "Apple"]);
    expect(await names("expiresAt", "asc")).toEqual(["banana", "Apple", "cherry"]);
    await harness.verify(secret);
    await waitFor(async () => (await client.getApiToken({ id: banana!.id })).token!.lastUsedAt !== undefined);
    expect((await names("lastUsedAt", "desc"))[0]).toBe("banana");
    expect((await names("lastUsedAt", "asc"))[2]).toBe("banana");
  });

  test("searches names and prefixes, treating % and _ literally", async () => {
    const client = harness.workspace();
    const { secret } = await client.createApiToken({ name: "Zapier 50%", scopes: ["tags:read"] });
    await client.createApiToken({ name: "Zapier 500", scopes: ["tags:read"] });
    await client.createApiToken({ name: "make_com", scopes: ["tags:read"] });
    await client.createApiToken({ name: "makeXcom", scopes: ["tags:read"] });
    const search = async (text: string) => (await client.listApiTokens({ search: text, sortBy: "name", sortOrder: "asc" })).items.map((t) => t.name);
    expect(await search("zapier")).toEqual(["Zapier 50%", "Zapier 500"]);
    expect(await search("50%")).toEqual(["Zapier 50%"]);
    expect(await search("ke_co")).toEqual(["make_com"]); // not "makeXcom"
    expect(await search(secret.slice(0, 16))).toEqual(["Zapier 50%"]);
  });

  test("filters by status and environment", async () => {
    const client = harness.workspace();
    await client.createApiToken({ name: "Active", scopes: ["tags:read"] });
    const { token: revoked } = await client.createApiToken({ name: "Revoked", scopes: ["tags:read"] });
    const { token: expired } = await client.createApiToken({ name: "Expired", scopes: ["tags:read"], environment: "test" });
    const { token: both } = await client.createApiToken({ name: "Revoked and expired", scopes: ["tags:read"] });
    await client.revokeApiToken({ id: revoked!.id });
    await client.revokeApiToken({ id: both!.id });
    await expireToken(harness.db, expired!.id);
    await expireToken(harness.db, both!.id);
    const names = async (filter: { status?: string; environment?: string }) =>
      (await client.listApiTokens({ ...filter, sortBy: "name", sortOrder: "asc" })).items.map((t) => `${t.name}:${t.status}`);
    expect(await names({ status: "active" })).toEqual(["Active:active"]);
    expect(await names({ status: "revoked" })).toEqual(["Revoked:revoked", "Revoked and expired:revoked"]);
    expect(await names({ status: "expired" })).toEqual(["Expired:expired"]);
    expect(await names({ environment: "test" })).toEqual(["Expired:expired"]);
    expect((await names({})).length).toBe(4);
  });

  test.each([
    ["a limit above 100", { limit: 101 }, "limit"],
    ["a sortBy outside the whitelist", { sortBy: "tokenHash" }, "sortBy"],
    ["an unknown status", { status: "deleted" }, "status"],
  ])("refuses %s", async (_, request, path) => {
    const failure = await expectFailure(harness.workspace().listApiTokens(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual([path]);
  });
});

test("a call without workspace metadata is UNAUTHENTICATED", async () => {
  const failure = await expectFailure(harness.raw.listApiTokens({ page: 0, limit: 0, search: "", sortBy: "", sortOrder: "", status: "", environment: "" }));
  expect(failure.code).toBe("UNAUTHENTICATED");
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
