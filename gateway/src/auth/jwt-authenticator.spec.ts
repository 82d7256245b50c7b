import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expectFailure, createTestIdentity, type TestIdentity } from "@velaflows/testing";
import { CompactSign, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JSONWebKeySet, type JWK, type JWTPayload } from "jose";
import { createJwtAuthenticator, type JwtAuthenticatorOptions } from "./jwt-authenticator";

const ISSUER = "https://auth.velaflows.test";
const AUDIENCE = "velaflows-api";
const WORKSPACE = "64f1a2b3c4d5e6f7a8b9c0d1";

interface ForeignKey {
  kid: string;
  alg: "ES256" | "RS256" | "EdDSA";
  privateKey: Parameters<SignJWT["sign"]>[0];
  publicJwk: JWK;
}

// A key pair made with jose itself, for the algorithms the kit's minter does not use.
async function foreignKey(alg: ForeignKey["alg"], kid: string): Promise<ForeignKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

function signWith(key: ForeignKey, payload: JWTPayload = {}): Promise<string> {
  return new SignJWT({ sub: "user-1", ...payload })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key.privateKey);
}

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const { code, message } = await expectFailure(call);
  return { code, message };
}

const unauthenticated = (message: string) => ({ code: "UNAUTHENTICATED", message });

describe("createJwtAuthenticator with a JSON key set", () => {
  let identity: TestIdentity;
  let es256: ForeignKey;
  let rs256: ForeignKey;
  let jwks: JSONWebKeySet;
  const authenticatorWith = (options: Partial<JwtAuthenticatorOptions> = {}) =>
    createJwtAuthenticator({ jwks, issuer: ISSUER, audience: AUDIENCE, ...options });

  beforeAll(async () => {
    identity = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    es256 = await foreignKey("ES256", "es-key");
    rs256 = await foreignKey("RS256", "rs-key");
    jwks = { keys: [...identity.jwks.keys, es256.publicJwk, rs256.publicJwk] };
  });

  test("accepts an EdDSA token and returns the user with the verified claims", async () => {
    const token = await identity.mintToken({ userId: "user-1", workspaceId: WORKSPACE, permissions: ["tags:read"], role: "agent" });
    const principal = await authenticatorWith().authenticate(token);
    expect(principal).toMatchObject({ kind: "user", id: "user-1" });
    expect(principal?.claims).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: "user-1",
      workspaces: { [WORKSPACE]: { role: "agent", permissions: ["tags:read"] } },
    });
    expect(Object.isFrozen(principal?.claims)).toBe(true);
  });

  test.each(["ES256", "RS256"] as const)("accepts a %s token", async (alg) => {
    const token = await signWith(alg === "ES256" ? es256 : rs256);
    expect(await authenticatorWith().authenticate(token)).toMatchObject({ kind: "user", id: "user-1" });
  });

  test("accepts any of several issuers and audiences", async () => {
    const token = await identity.mintToken({ userId: "u", issuer: "https://other.test", audience: "other-api" });
    const authenticator = authenticatorWith({ issuer: [ISSUER, "https://other.test"], audience: [AUDIENCE, "other-api"] });
    expect(await authenticator.authenticate(token)).toMatchObject({ id: "u" });
  });

  test("does not check the audience when none is configured", async () => {
    const token = await identity.mintToken({ userId: "u", audience: "anything" });
    expect(await authenticatorWith({ audience: undefined }).authenticate(token)).toMatchObject({ id: "u" });
  });

  test("tolerates clock skew up to clockToleranceSeconds", async () => {
    // Expired 10 s ago, within the default 30 s.
    const token = await identity.mintToken({ userId: "u", now: new Date(Date.now() - 70_000), ttlSeconds: 60 });
    expect(await authenticatorWith().authenticate(token)).toMatchObject({ id: "u" });
    expect(await refusal(authenticatorWith({ clockToleranceSeconds: 0 }).authenticate(token))).toEqual(
      unauthenticated("Access token has expired"),
    );
  });

  test.each(["sk_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0", "opaque-session-id", "a.b", "a.b.c.d.e", "a..c", ""])(
    "returns undefined for %j, which is not a JWT",
    async (credential) => {
      expect(await authenticatorWith().authenticate(credential)).toBeUndefined();
    },
  );

  const hour = 60 * 60 * 1000;
  test.each<[string, () => Promise<string>, string]>([
    ["an expired token", () => identity.mintToken({ userId: "u", now: new Date(Date.now() - 2 * hour), ttlSeconds: 60 }), "Access token has expired"],
    ["a token not yet valid", () => identity.mintToken({ userId: "u", now: new Date(Date.now() + hour) }), "Access token is not yet valid"],
    ["another issuer", () => identity.mintToken({ userId: "u", issuer: "https://evil.test" }), "Access token issuer is not accepted"],
    ["another audience", () => identity.mintToken({ userId: "u", audience: "billing-api" }), "Access token audience is not accepted"],
    ["alg none", async () => new UnsecuredJWT({ sub: "u", iss: ISSUER, aud: AUDIENCE }).setExpirationTime("5m").encode(), "Access token algorithm is not accepted"],
    [
      "HS256",
      () => new SignJWT({ sub: "u" }).setProtectedHeader({ alg: "HS256" }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime("5m").sign(new Uint8Array(32)),
      "Access token algorithm is not accepted",
    ],
    [
      "HS256 keyed with the public key (key confusion)",
      () =>
        new SignJWT({ sub: "u" })
          .setProtectedHeader({ alg: "HS256", kid: identity.signingKey.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(JSON.stringify(identity.jwks.keys[0]))),
      "Access token algorithm is not accepted",
    ],
    ["ES384 (asymmetric, but not accepted)", () => es384Token(), "Access token algorithm is not accepted"],
    ["a tampered payload", async () => tamper(await identity.mintToken({ userId: "u" })), "Access token signature is invalid"],
    ["another key with a known kid", async () => createTestIdentity({ issuer: ISSUER, audience: AUDIENCE, kid: identity.signingKey.kid }).mintToken({ userId: "u" }), "Access token signature is invalid"],
    ["a key that is not in the set", async () => createTestIdentity({ issuer: ISSUER, audience: AUDIENCE }).mintToken({ userId: "u" }), "Access token is signed with an unknown key"],
    ["no sub", () => withoutClaim(es256, "sub"), 'Access token has no "sub" claim'],
    ["no exp", () => withoutClaim(es256, "exp"), 'Access token has no "exp" claim'],
    ["an empty sub", () => signWith(es256, { sub: "" }), "Access token has no subject"],
    ["a header that is not JSON", async () => "bm90IGpzb24.eyJzdWIiOiJ1In0.c2ln", "Access token is malformed"],
    ["a signed payload that is not JSON", () => new CompactSign(new TextEncoder().encode("not json")).setProtectedHeader({ alg: "ES256", kid: es256.kid }).sign(es256.privateKey), "Access token is malformed"],
  ])("refuses %s", async (_, makeToken, message) => {
    expect(await refusal(authenticatorWith().authenticate(await makeToken()))).toEqual(unauthenticated(message));
  });

  test("refuses algorithms left out of `algorithms`", async () => {
    const token = await signWith(rs256);
    expect(await refusal(authenticatorWith({ algorithms: ["EdDSA"] }).authenticate(token))).toEqual(
      unauthenticated("Access token algorithm is not accepted"),
    );
  });

  test.each<[string, Partial<JwtAuthenticatorOptions>]>([
    ["a private key in the set", { jwks: { keys: [{ kty: "OKP", crv: "Ed25519", x: "AA", d: "AA", kid: "k" }] } }],
    ["a symmetric key in the set", { jwks: { keys: [{ kty: "oct", k: "c2VjcmV0", kid: "k" }] } }],
    ["an empty set", { jwks: { keys: [] } }],
    ["an HMAC algorithm", { algorithms: ["HS256" as never] }],
    ["no algorithms", { algorithms: [] }],
    ["a non-http JWKS URL", { jwks: "file:///etc/jwks.json" }],
    ["an empty issuer", { issuer: "" }],
  ])("refuses to start with %s", (_, options) => {
    expect(() => authenticatorWith(options)).toThrow(TypeError);
  });

  // ES384 with a P-384 key: asymmetric, but not one of ours.
  async function es384Token(): Promise<string> {
    const { privateKey } = await generateKeyPair("ES384");
    return new SignJWT({ sub: "u" }).setProtectedHeader({ alg: "ES384" }).setIssuer(ISSUER).setExpirationTime("5m").sign(privateKey);
  }
});

async function withoutClaim(key: ForeignKey, claim: "sub" | "exp"): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuer(ISSUER).setAudience(AUDIENCE);
  if (claim !== "sub") jwt = jwt.setSubject("u");
  if (claim !== "exp") jwt = jwt.setExpirationTime("5m");
  return jwt.sign(key.privateKey);
}

function tamper(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
  return [header, Buffer.from(JSON.stringify({ ...claims, sub: "admin" })).toString("base64url"), signature].join(".");
}

describe("createJwtAuthenticator with a JWKS URL", () => {
  let server: Server;
  let url: string;
  let served: JSONWebKeySet;
  let requests = 0;
  let behaviour: "serve" | "fail" | "hang" = "serve";

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      requests++;
      if (behaviour === "hang") return;
      if (behaviour === "fail") {
        response.writeHead(500).end("oops");
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    requests = 0;
    behaviour = "serve";
  });

  const authenticatorFor = (options: Partial<JwtAuthenticatorOptions> = {}) =>
    createJwtAuthenticator({ jwks: url, issuer: ISSUER, audience: AUDIENCE, ...options });

  test("fetches the set once, on first use, and serves later tokens from the cache", async () => {
    const identity = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    served = identity.jwks;
    const authenticator = authenticatorFor({ jwks: new URL(url) });
    expect(requests).toBe(0);
    const tokens = await Promise.all(["a", "b", "c"].map((userId) => identity.mintToken({ userId })));
    const principals = await Promise.all(tokens.map((token) => authenticator.authenticate(token)));
    expect(principals.map((principal) => principal?.id)).toEqual(["a", "b", "c"]);
    await authenticator.authenticate(tokens[0]!);
    expect(requests).toBe(1);
  });

  test("after a key rotation, a token with an unknown kid triggers exactly one refetch", async () => {
    const oldKey = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    const newKey = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    served = oldKey.jwks;
    const authenticator = authenticatorFor({ jwksCooldownMs: 0 });
    await authenticator.authenticate(await oldKey.mintToken({ userId: "u" }));
    expect(requests).toBe(1);

    served = { keys: [...oldKey.jwks.keys, ...newKey.jwks.keys] };
    expect(await authenticator.authenticate(await newKey.mintToken({ userId: "rotated" }))).toMatchObject({ id: "rotated" });
    expect(requests).toBe(2);
    await authenticator.authenticate(await oldKey.mintToken({ userId: "u" }));
    expect(requests).toBe(2);

    // A kid that is still unknown after the refetch is refused.
    const stranger = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    expect(await refusal(authenticator.authenticate(await stranger.mintToken({ userId: "u" })))).toEqual(
      unauthenticated("Access token is signed with an unknown key"),
    );
    expect(requests).toBe(3);
  });

  test("within the cooldown, unknown kids are refused without refetching", async () => {
    const known = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    served = known.jwks;
    const authenticator = authenticatorFor({ jwksCooldownMs: 60_000 });
    await authenticator.authenticate(await known.mintToken({ userId: "u" }));
    for (let i = 0; i < 5; i++) {
      const stranger = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
      expect(await refusal(authenticator.authenticate(await stranger.mintToken({ userId: "u" })))).toEqual(
        unauthenticated("Access token is signed with an unknown key"),
      );
    }
    expect(requests).toBe(1);
  });

  test("an HS256 or alg:none token never causes a fetch", async () => {
    const authenticator = authenticatorFor();
    const hs256 = await new SignJWT({ sub: "u" }).setProtectedHeader({ alg: "HS256", kid: "k" }).setExpirationTime("5m").sign(new Uint8Array(32));
    const none = new UnsecuredJWT({ sub: "u" }).encode();
    for (const token of [hs256, none]) {
      expect((await refusal(authenticator.authenticate(token))).code).toBe("UNAUTHENTICATED");
    }
    expect(requests).toBe(0);
  });

  test.each<[string, "fail" | "hang", Partial<JwtAuthenticatorOptions>]>([
    ["answers 500", "fail", {}],
    ["does not answer within the timeout", "hang", { jwksTimeoutMs: 200 }],
  ])("answers UNAVAILABLE (not 401) when the JWKS endpoint %s", async (_, mode, options) => {
    behaviour = mode;
    const identity = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    const failure = await expectFailure(authenticatorFor(options).authenticate(await identity.mintToken({ userId: "u" })));
    expect(failure).toMatchObject({ code: "UNAVAILABLE", reason: "JWKS_UNAVAILABLE", message: "Access token keys are unavailable" });
  });

  test("answers UNAVAILABLE when the JWKS endpoint refuses connections", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const identity = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    const authenticator = authenticatorFor({ jwks: `http://127.0.0.1:${port}/jwks.json` });
    expect(await expectFailure(authenticator.authenticate(await identity.mintToken({ userId: "u" })))).toMatchObject({ code: "UNAVAILABLE" });
  });
});

describe("createJwtAuthenticator with a key-set loader (the Auth service over gRPC)", () => {
  test("loads once, refetches on a rotated-in key, and reports a failing source as UNAVAILABLE", async () => {
    const first = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    const second = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    let published: JSONWebKeySet = first.jwks;
    let loads = 0;
    let failing = false;
    const authenticator = createJwtAuthenticator({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksCooldownMs: 0,
      jwks: async () => {
        loads++;
        if (failing) throw new Error("auth service down");
        return published;
      },
    });
    const token = await first.mintToken({ userId: "u1" });
    expect(await authenticator.authenticate(token)).toMatchObject({ id: "u1" });
    expect(await authenticator.authenticate(token)).toMatchObject({ id: "u1" });
    expect(loads).toBe(1);

    published = { keys: [...first.jwks.keys, ...second.jwks.keys] };
    expect(await authenticator.authenticate(await second.mintToken({ userId: "u2" }))).toMatchObject({ id: "u2" });
    expect(loads).toBe(2);

    failing = true;
    const third = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    expect(await refusal(authenticator.authenticate(await third.mintToken({ userId: "u3" })))).toEqual({
      code: "UNAVAILABLE",
      message: "Access token keys are unavailable",
    });
  });
});

describe("createJwtAuthenticator's verified-token cache", () => {
  const identity = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
  const start = Date.parse("2030-01-01T00:00:00Z");

  test("a cached token is refused once it expires, with the same clock tolerance as a fresh check", async () => {
    let clock = start;
    // Remembered for far longer than the token lives: only its expiry can end the entry.
    const authenticator = createJwtAuthenticator({ jwks: identity.jwks, issuer: ISSUER, audience: AUDIENCE, now: () => clock, verifiedTokenCache: { maxAgeMs: 3_600_000 } });
    const token = await identity.mintToken({ userId: "u", now: new Date(start), ttlSeconds: 60 });
    expect(await authenticator.authenticate(token)).toMatchObject({ id: "u" });
    clock = start + 60_000 + 29_999; // expired 29.999 s ago: within the default 30 s tolerance
    expect(await authenticator.authenticate(token)).toMatchObject({ id: "u" });
    clock = start + 60_000 + 30_000;
    expect(await refusal(authenticator.authenticate(token))).toEqual(unauthenticated("Access token has expired"));
    // And it stays refused: a refusal is not remembered as anything else.
    expect(await refusal(authenticator.authenticate(token))).toEqual(unauthenticated("Access token has expired"));
  });

  test("tokens are told apart: another user's token, a tampered copy of a cached one", async () => {
    const authenticator = createJwtAuthenticator({ jwks: identity.jwks, issuer: ISSUER, audience: AUDIENCE });
    const first = await identity.mintToken({ userId: "first" });
    const second = await identity.mintToken({ userId: "second" });
    for (let i = 0; i < 3; i++) {
      expect(await authenticator.authenticate(first)).toMatchObject({ id: "first" });
      expect(await authenticator.authenticate(second)).toMatchObject({ id: "second" });
    }
    const [header, payload, signature] = first.split(".") as [string, string, string];
    const tamperedSignature = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}`;
    expect(await refusal(authenticator.authenticate(tamperedSignature))).toEqual(unauthenticated("Access token signature is invalid"));
    // The second token's payload under the first token's signature.
    const swapped = `${header}.${second.split(".")[1]}.${signature}`;
    expect(await refusal(authenticator.authenticate(swapped))).toEqual(unauthenticated("Access token signature is invalid"));
    expect(await authenticator.authenticate(first)).toMatchObject({ id: "first" });
  });

  // Where the keys come from: a loader (the Auth service over gRPC), or a JWKS URL served here.
  const sources: Record<string, (published: () => JSONWebKeySet) => Promise<{ jwks: JwtAuthenticatorOptions["jwks"]; close(): Promise<void> }>> = {
    "a key-set loader": async (published) => ({ jwks: async () => published(), close: async () => {} }),
    "a JWKS URL": async (published) => {
      const server = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(published())));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return {
        jwks: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
  };

  test.each(Object.keys(sources))("with %s, a key removed from the set (a new set fetched) invalidates the tokens it verified", async (source) => {
    const retired = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    const current = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
    let published: JSONWebKeySet = { keys: [...retired.jwks.keys, ...current.jwks.keys] };
    const keys = await sources[source]!(() => published);
    try {
      const authenticator = createJwtAuthenticator({ jwks: keys.jwks, issuer: ISSUER, audience: AUDIENCE, jwksCooldownMs: 0 });
      const old = await retired.mintToken({ userId: "old" });
      expect(await authenticator.authenticate(old)).toMatchObject({ id: "old" });
      expect(await authenticator.authenticate(old)).toMatchObject({ id: "old" });

      // The retired key is withdrawn; a token with a kid the gateway has not seen makes it fetch the set again.
      published = { keys: [...current.jwks.keys] };
      const stranger = createTestIdentity({ issuer: ISSUER, audience: AUDIENCE });
      await expect(authenticator.authenticate(await stranger.mintToken({ userId: "x" }))).rejects.toThrow("unknown key");
      expect(await refusal(authenticator.authenticate(old))).toEqual(unauthenticated("Access token is signed with an unknown key"));
      expect(await authenticator.authenticate(await current.mintToken({ userId: "new" }))).toMatchObject({ id: "new" });
    } finally {
      await keys.close();
    }
  });
});
