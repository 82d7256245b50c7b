import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from "jose";
import type { Jwk } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import { decryptPrivateKey, encryptPrivateKey } from "./domain/key-encryption";
import { startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("access tokens and the JWKS", () => {
  test("the JWKS publishes the signing key, and a minted token verifies against it with jose", async () => {
    const account = await harness.register();
    const { keys } = await harness.anonymous.auth.getWellKnownJwks({});
    const header = decodeProtectedHeader(account.accessToken);
    expect(header).toMatchObject({ alg: "EdDSA", typ: "JWT" });
    const signingKey = keys.find((key) => key.kid === header.kid);
    expect(signingKey).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    for (const key of keys) {
      expect(key).not.toHaveProperty("d");
      expect(key).toMatchObject({ y: undefined, n: undefined, e: undefined });
    }

    const jwks = createLocalJWKSet({ keys: keys.map(toJwk) });
    const { payload } = await jwtVerify(account.accessToken, jwks, { issuer: "velaflows", audience: "velaflows-api", algorithms: ["EdDSA"] });
    // A small token: identity and session only, never permissions.
    expect(Object.keys(payload).sort()).toEqual(["aud", "exp", "iat", "iss", "nbf", "sid", "sub"]);
    expect(payload.sub).toBe(account.userId);
    expect(payload.exp! - payload.iat!).toBe(900);
    const { rows } = await harness.db.query(`SELECT "id" FROM "auth"."sessions" WHERE "user_id" = $1`, [account.userId]);
    expect(payload.sid).toBe(rows[0].id);
  });

  test("the internal GetJwks answers the same key set", async () => {
    const external = await harness.anonymous.auth.getWellKnownJwks({});
    const internal = await harness.anonymous.internal.getJwks({});
    expect(internal.keys).toEqual(external.keys);
  });

  test("the signing key is kept in the database and survives a restart", async () => {
    const account = await harness.register();
    const restarted = await startAuthHarness();
    try {
      const { keys } = await restarted.anonymous.auth.getWellKnownJwks({});
      await jwtVerify(account.accessToken, createLocalJWKSet({ keys: keys.map(toJwk) }), { issuer: "velaflows", audience: "velaflows-api" });
      const again = await restarted.anonymous.auth.login({ email: account.email, password: account.password });
      expect(decodeProtectedHeader(again.accessToken).kid).toBe(decodeProtectedHeader(account.accessToken).kid);
    } finally {
      await restarted.stop();
    }
  });
});

describe("AUTH_SIGNING_KEY", () => {
  test("signs with the first configured key, publishes all, and honours issuer, audience and lifetime", async () => {
    const current = { ...privateJwk(), kid: "current-key" };
    const previous = { ...privateJwk(), kid: "previous-key" };
    const configured = await startAuthHarness({
      AUTH_SIGNING_KEY: JSON.stringify({ keys: [current, previous] }),
      AUTH_ISSUER: "https://id.example.com",
      AUTH_AUDIENCE: "example-api",
      AUTH_ACCESS_TOKEN_TTL_SECONDS: "300",
    });
    try {
      const { keys } = await configured.anonymous.auth.getWellKnownJwks({});
      expect(keys.map((k) => k.kid)).toEqual(["current-key", "previous-key"]);
      expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", x: current.x });
      expect(JSON.stringify(keys)).not.toContain(current.d!);
      const account = await configured.register();
      expect(decodeProtectedHeader(account.accessToken).kid).toBe("current-key");
      const { payload } = await jwtVerify(account.accessToken, createLocalJWKSet({ keys: keys.map(toJwk) }), {
        issuer: "https://id.example.com",
        audience: "example-api",
      });
      expect(payload.exp! - payload.iat!).toBe(300);
    } finally {
      await configured.stop();
    }
  });

  test.each([
    ["not JSON", "{nope"],
    ["a public key", JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "abc" })],
    ["an RSA key", JSON.stringify({ kty: "RSA", n: "x", e: "AQAB", d: "y" })],
  ])("refuses %s at start-up, without echoing it", async (_, value) => {
    const started = startAuthHarness({ AUTH_SIGNING_KEY: value });
    await expect(started).rejects.toThrow(/AUTH_SIGNING_KEY/);
    await expect(started).rejects.not.toThrow(value);
  });

  test("refuses a malformed AUTH_KEY_ENCRYPTION_KEY", async () => {
    await expect(startAuthHarness({ AUTH_KEY_ENCRYPTION_KEY: "too-short" })).rejects.toThrow(/AUTH_KEY_ENCRYPTION_KEY must be 32 bytes/);
  });

  test("in production, refuses to keep signing keys unencrypted", async () => {
    await expect(startAuthHarness({ NODE_ENV: "production" })).rejects.toThrow(/AUTH_SIGNING_KEY or AUTH_KEY_ENCRYPTION_KEY/);
  });
});

describe("private keys at rest", () => {
  test("AES-256-GCM round-trips, and refuses another key or another key id", () => {
    const key = randomBytes(32);
    const secret = JSON.stringify(privateJwk());
    const stored = encryptPrivateKey(secret, key, "kid-1");
    expect(stored).toMatch(/^aes-256-gcm:/);
    expect(stored).not.toContain(JSON.parse(secret).d);
    expect(decryptPrivateKey(stored, key, "kid-1")).toBe(secret);
    expect(() => decryptPrivateKey(stored, randomBytes(32), "kid-1")).toThrow(/cannot be decrypted/);
    expect(() => decryptPrivateKey(stored, key, "kid-2")).toThrow(/cannot be decrypted/);
  });
});

function privateJwk(): JWK {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) as JWK;
}

// The proto's Jwk leaves absent members undefined; a JWK omits them.
function toJwk(key: Jwk): JWK {
  return Object.fromEntries(Object.entries(key).filter(([, value]) => value !== undefined && value !== "")) as unknown as JWK;
}
