import { createLocalJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { createTestIdentity } from "./test-identity";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";
const OTHER_WS = "6612a1b2c3d4e5f6a7b8c9d0";

describe("createTestIdentity", () => {
  const identity = createTestIdentity();
  const verify = (token: string) =>
    jwtVerify(token, createLocalJWKSet(identity.jwks), { issuer: identity.issuer, audience: identity.audience, algorithms: ["EdDSA"] });

  test("mints tokens that verify against its key set, as the given user", async () => {
    const { payload } = await verify(await identity.mintToken({ userId: "user-1" }));
    expect(payload).toMatchObject({ sub: "user-1", iss: "urn:velaflows:test-identity", aud: "velaflows-api" });
    expect(payload).not.toHaveProperty("workspaces");
  });

  test.each([
    ["workspaceId alone: owner with *", { workspaceId: WS }, { [WS]: { role: "owner", permissions: ["*"] } }],
    ["workspaceId with a role", { workspaceId: WS, role: "agent", permissions: ["tags:read"] }, { [WS]: { role: "agent", permissions: ["tags:read"] } }],
    [
      "several workspaces",
      { workspaces: { [WS]: { role: "agent", permissions: ["tags:read"] }, [OTHER_WS]: { role: "owner", permissions: ["*"] } } },
      { [WS]: { role: "agent", permissions: ["tags:read"] }, [OTHER_WS]: { role: "owner", permissions: ["*"] } },
    ],
  ])("the workspaces claim: %s", async (_, options, workspaces) => {
    expect(decodeJwt(await identity.mintToken({ userId: "u", ...options })).workspaces).toEqual(workspaces);
  });

  test.each<[string, Parameters<typeof identity.mintToken>[0], new (...args: never[]) => Error]>([
    ["an expired token", { userId: "u", now: new Date(Date.now() - 3_600_000), ttlSeconds: 60 }, errors.JWTExpired],
    ["a token not yet valid", { userId: "u", now: new Date(Date.now() + 3_600_000) }, errors.JWTClaimValidationFailed],
    ["another issuer", { userId: "u", issuer: "https://evil.test" }, errors.JWTClaimValidationFailed],
    ["another audience", { userId: "u", audience: "other" }, errors.JWTClaimValidationFailed],
  ])("can mint %s for refusal tests", async (_, options, error) => {
    await expect(verify(await identity.mintToken(options))).rejects.toBeInstanceOf(error);
  });

  test("identities have separate keys unless given one kid", async () => {
    const other = createTestIdentity({ kid: identity.signingKey.kid });
    expect(other.jwks.keys[0]!.kid).toBe(identity.signingKey.kid);
    expect(other.jwks.keys[0]!.x).not.toBe(identity.jwks.keys[0]!.x);
    await expect(verify(await other.mintToken({ userId: "u" }))).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });
});
