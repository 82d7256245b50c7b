import { expectFailure } from "@velaflows/testing";
import { startApiTokensHarness, type ApiTokensHarness } from "./test-harness";

let harness: ApiTokensHarness;
beforeAll(async () => {
  harness = await startApiTokensHarness();
});
afterAll(() => harness.stop());

describe("ListApiTokenScopes", () => {
  test("lists * and every permission the protos declare, with the routes each opens", async () => {
    const { items } = await harness.workspace({ permissions: [] }).listApiTokenScopes({});
    expect(items[0]).toEqual({ permission: "*", service: "", level: "", description: "Everything the token's creator may do", routes: [] });
    const byPermission = new Map(items.map((scope) => [scope.permission, scope]));
    expect(byPermission.get("tags:read")).toMatchObject({ service: "tags", level: "read", description: "View tags" });
    expect(byPermission.get("tags:read")!.routes).toEqual(expect.arrayContaining(["GET /api/v1/tags", "GET /api/v1/tags/{id}"]));
    expect(byPermission.get("tags:read")!.routes).not.toContain("POST /api/v1/tags");
    // A level opens its own routes and those of the levels below it.
    expect(byPermission.get("tags:write")!.routes).toEqual(expect.arrayContaining(["POST /api/v1/tags", "GET /api/v1/tags"]));
    expect(byPermission.get("api-tokens:manage")).toMatchObject({ service: "api-tokens", level: "manage" });
    expect(byPermission.get("api-tokens:manage")!.routes).toEqual(
      expect.arrayContaining(["POST /api/v1/api-tokens", "POST /api/v1/api-tokens/{id}/rotate", "GET /api/v1/api-tokens"]),
    );
    // Only what some method declares: Tags has no manage level, and test-only services are left out.
    expect(byPermission.has("tags:manage")).toBe(false);
    expect([...byPermission.keys()].some((p) => p.startsWith("testing:"))).toBe(false);
    // "authenticated" routes need no scope and are in none.
    expect(items.flatMap((s) => s.routes)).not.toContain("GET /api/v1/api-tokens/scopes");
    for (const scope of items.slice(1)) expect(scope.permission).toBe(`${scope.service}:${scope.level}`);
  });
});

describe("scopes a token is granted", () => {
  test.each([
    ["a permission no method declares", ["tags:read", "planets:read"], "scopes[1]", expect.stringContaining('"planets:read" is not a scope of the platform')],
    ["a level the service does not declare", ["tags:manage"], "scopes[0]", expect.stringContaining("is not a scope")],
    ["a malformed scope", ["tags:read", "tags:admin"], "scopes[1]", expect.stringContaining("must match")],
    ["a wildcard other than *", ["tags:*"], "scopes[0]", expect.stringContaining("must match")],
  ])("refuses %s, naming its index", async (_, scopes, path, message) => {
    const failure = await expectFailure(harness.workspace().createApiToken({ name: "Bad", scopes }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual([{ path, message }]);
  });

  test.each([
    ["the same permission", ["tags:read"], ["tags:read"]],
    ["a higher level of the service", ["tags:manage"], ["tags:read", "tags:write"]],
    ["*", ["*"], ["*", "tags:read", "api-tokens:manage"]],
  ])("a caller holding %s may grant it", async (_, held, scopes) => {
    const { token } = await harness.workspace({ permissions: held }).createApiToken({ name: "Granted", scopes });
    expect(token!.status).toBe("active");
  });

  test.each([
    ["a scope of another service", ["tags:write"], ["tags:read", "api-tokens:read"], "api-tokens:read"],
    ["a higher level", ["tags:read"], ["tags:write"], "tags:write"],
    ["* without holding *", ["tags:write", "api-tokens:manage"], ["*"], "*"],
    ["anything, holding nothing", [], ["tags:read"], "tags:read"],
  ])("refuses %s beyond the caller's permissions, naming the scope", async (_, held, scopes, missing) => {
    const failure = await expectFailure(harness.workspace({ permissions: held }).createApiToken({ name: "Escalation", scopes }));
    expect(failure).toMatchObject({ code: "PERMISSION_DENIED", reason: "SCOPE_NOT_HELD" });
    expect(failure.message).toContain(`"${missing}"`);
  });

  test("an update may narrow scopes the caller lacks, but not add them", async () => {
    const owner = harness.workspace({ permissions: ["*"] });
    const { token } = await owner.createApiToken({ name: "Shared", scopes: ["*"] });
    const manager = harness.workspace({ workspaceId: owner.workspaceId, permissions: ["api-tokens:manage", "tags:read"] });
    const { token: narrowed } = await manager.updateApiToken({ id: token!.id, token: { scopes: ["tags:read"] }, updateMask: ["scopes"] });
    expect(narrowed!.scopes).toEqual(["tags:read"]);
    const failure = await expectFailure(manager.updateApiToken({ id: token!.id, token: { scopes: ["tags:read", "tags:write"] }, updateMask: ["scopes"] }));
    expect(failure).toMatchObject({ code: "PERMISSION_DENIED", reason: "SCOPE_NOT_HELD" });
    expect(failure.message).toContain('"tags:write"');
    expect((await owner.getApiToken({ id: token!.id })).token!.scopes).toEqual(["tags:read"]);
  });

  test("rotating hands over the token's scopes, so the caller must hold them all", async () => {
    const owner = harness.workspace({ permissions: ["*"] });
    const { token, secret } = await owner.createApiToken({ name: "Powerful", scopes: ["tags:write"] });
    const manager = harness.workspace({ workspaceId: owner.workspaceId, permissions: ["api-tokens:manage", "tags:read"] });
    const failure = await expectFailure(manager.rotateApiToken({ id: token!.id }));
    expect(failure).toMatchObject({ code: "PERMISSION_DENIED", reason: "SCOPE_NOT_HELD" });
    expect(failure.message).toContain('"tags:write"');
    expect((await harness.verify(secret)).valid).toBe(true);
    // Revoking takes power away, so it needs only the manage right.
    expect((await manager.revokeApiToken({ id: token!.id })).token!.status).toBe("revoked");
  });
});
