import { expectFailure } from "@velaflows/testing";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { createApiTokenAuthenticator } from "./api-token-authenticator";
import { authenticateRequest } from "./authenticate";
import { authorize } from "./authorize";
import { createClaimsMembershipResolver } from "./claims-membership-resolver";
import { createDevIdentity, type DevIdentity } from "./dev-identity";
import { createJwtAuthenticator } from "./jwt-authenticator";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";

// The development wiring `npm start` uses before the Auth service exists, end to end.
function devGateway(identity: DevIdentity) {
  const authenticators = [
    createJwtAuthenticator({ jwks: identity.jwks, issuer: identity.issuer, audience: identity.audience }),
    createApiTokenAuthenticator({ verify: async () => undefined }),
  ];
  const resolver = createClaimsMembershipResolver();
  return async (authorization: string, access: string, workspaceId = WS) => {
    const principal = await authenticateRequest(authorization, authenticators);
    return authorize({ policy: { access }, principal, workspaceId, resolver });
  };
}

describe("createDevIdentity", () => {
  test("publishes only a public Ed25519 key", () => {
    const { jwks } = createDevIdentity();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });

  test("mints an owner token for one workspace, valid for 12 hours by default", async () => {
    const identity = createDevIdentity();
    const token = await identity.mintToken({ userId: "dev-user", workspaceId: WS });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "EdDSA", kid: identity.jwks.keys[0]!.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: identity.issuer,
      aud: identity.audience,
      sub: "dev-user",
      workspaces: { [WS]: { role: "owner", permissions: ["*"] } },
    });
    expect(claims.exp! - claims.iat!).toBe(12 * 60 * 60);
  });

  test("its tokens pass the gateway's authentication and authorization", async () => {
    const identity = createDevIdentity();
    const request = devGateway(identity);
    const owner = await identity.mintToken({ userId: "dev-user", workspaceId: WS });
    expect(await request(`Bearer ${owner}`, "tags:manage")).toMatchObject({
      principal: { kind: "user", id: "dev-user" },
      workspaceId: WS,
      membership: { role: "owner", permissions: ["*"] },
    });

    const reader = await identity.mintToken({ userId: "reader", workspaceId: WS, role: "viewer", permissions: ["tags:read"], ttlSeconds: 60 });
    await expect(request(`Bearer ${reader}`, "tags:read")).resolves.toMatchObject({ membership: { role: "viewer" } });
    expect(await expectFailure(request(`Bearer ${reader}`, "tags:write"))).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(await expectFailure(request(`Bearer ${reader}`, "tags:read", "6612a1b2c3d4e5f6a7b8c9d0"))).toMatchObject({
      code: "PERMISSION_DENIED",
      message: "The caller is not a member of this workspace",
    });
  });

  test("each identity has its own key: another process's tokens are refused", async () => {
    const token = await createDevIdentity().mintToken({ userId: "u", workspaceId: WS });
    expect(await expectFailure(devGateway(createDevIdentity())(`Bearer ${token}`, "authenticated"))).toMatchObject({
      code: "UNAUTHENTICATED",
      message: "Access token is signed with an unknown key",
    });
  });
});
