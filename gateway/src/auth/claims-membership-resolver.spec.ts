import type { Principal } from "../pipeline/principal";
import { createClaimsMembershipResolver } from "./claims-membership-resolver";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";
const OTHER_WS = "6612a1b2c3d4e5f6a7b8c9d0";

const withClaims = (claims: Record<string, unknown> | undefined): Principal => ({ kind: "user", id: "u1", claims });

describe("createClaimsMembershipResolver", () => {
  const resolver = createClaimsMembershipResolver();

  test("reads the membership from the verified workspaces claim", async () => {
    const principal = withClaims({ workspaces: { [WS]: { role: "agent", permissions: ["tags:read"] }, [OTHER_WS]: { role: "owner", permissions: ["*"] } } });
    expect(await resolver.resolve(principal, WS)).toEqual({ role: "agent", permissions: ["tags:read"] });
    expect(await resolver.resolve(principal, OTHER_WS)).toEqual({ role: "owner", permissions: ["*"] });
  });

  test.each<[string, Principal]>([
    ["no claims", withClaims(undefined)],
    ["no workspaces claim", withClaims({ sub: "u1" })],
    ["another workspace only", withClaims({ workspaces: { [OTHER_WS]: { role: "owner", permissions: ["*"] } } })],
    ["a workspaces claim that is a list", withClaims({ workspaces: [WS] })],
    ["an entry that is not an object", withClaims({ workspaces: { [WS]: "owner" } })],
    ["an entry without a role", withClaims({ workspaces: { [WS]: { permissions: ["*"] } } })],
    ["permissions that are not a list", withClaims({ workspaces: { [WS]: { role: "owner", permissions: "*" } } })],
    ["a permission that is not a string", withClaims({ workspaces: { [WS]: { role: "owner", permissions: ["*", 1] } } })],
    ["an API token, even with claims", { kind: "api_token", id: "t", workspaceId: WS, claims: { workspaces: { [WS]: { role: "owner", permissions: ["*"] } } } }],
  ])("is not a member with %s", async (_, principal) => {
    expect(await resolver.resolve(principal, WS)).toBeUndefined();
  });

  test.each([["__proto__"], ["constructor"], ["toString"]])("does not read inherited properties (%s)", async (workspaceId) => {
    expect(await resolver.resolve(withClaims({ workspaces: {} }), workspaceId)).toBeUndefined();
  });
});
