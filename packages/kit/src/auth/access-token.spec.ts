import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { accessTokenJwks, generateAccessTokenSigningKey, mintAccessToken, WORKSPACES_CLAIM } from "./access-token";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";

describe("access tokens", () => {
  test("a minted token verifies against the published key set, with every claim in place", async () => {
    const signingKey = generateAccessTokenSigningKey("key-1");
    const now = new Date();
    const token = await mintAccessToken({
      signingKey,
      issuer: "https://auth.test",
      audience: "velaflows-api",
      subject: "user-1",
      workspaces: { [WS]: { role: "agent", permissions: ["tags:read"] } },
      ttlSeconds: 60,
      now,
      extraClaims: { sid: "session-1", sub: "ignored" },
    });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(accessTokenJwks(signingKey)), {
      issuer: "https://auth.test",
      audience: "velaflows-api",
      algorithms: ["EdDSA"],
    });
    const issuedAt = Math.floor(now.getTime() / 1000);
    expect(protectedHeader).toEqual({ alg: "EdDSA", kid: "key-1", typ: "JWT" });
    expect(payload).toEqual({
      iss: "https://auth.test",
      aud: "velaflows-api",
      sub: "user-1",
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + 60,
      sid: "session-1",
      [WORKSPACES_CLAIM]: { [WS]: { role: "agent", permissions: ["tags:read"] } },
    });
  });

  test("defaults: a 15-minute lifetime, no audience, no workspaces", async () => {
    const signingKey = generateAccessTokenSigningKey();
    const { payload } = await jwtVerify(await mintAccessToken({ signingKey, issuer: "i", subject: "s" }), createLocalJWKSet(accessTokenJwks(signingKey)));
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload).not.toHaveProperty("aud");
    expect(payload).not.toHaveProperty(WORKSPACES_CLAIM);
  });

  test("the key set holds the public halves only, one per key, under their kids", () => {
    const a = generateAccessTokenSigningKey();
    const b = generateAccessTokenSigningKey();
    expect(a.kid).not.toBe(b.kid);
    const jwks = accessTokenJwks(a, b);
    expect(jwks.keys.map((key) => key.kid)).toEqual([a.kid, b.kid]);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
      expect(key).not.toHaveProperty("d");
    }
  });

  test("tokens name their key", async () => {
    const signingKey = generateAccessTokenSigningKey();
    expect(decodeProtectedHeader(await mintAccessToken({ signingKey, issuer: "i", subject: "s" })).kid).toBe(signingKey.kid);
  });
});
