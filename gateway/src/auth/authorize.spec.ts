import { expectFailure } from "@velaflows/testing";
import type { Membership, MembershipResolver, Principal } from "../pipeline/principal";
import { authorize } from "./authorize";

const WS = "64f1a2b3c4d5e6f7a8b9c0d1";
const OTHER_WS = "6612a1b2c3d4e5f6a7b8c9d0";

// Who belongs where. An API token acts for the user who created it, so it resolves to that user's
// membership (as the Auth service will answer).
const members: Record<string, Record<string, Membership>> = {
  [WS]: {
    agent: { role: "agent", permissions: ["tags:write", "inbox:read"] },
    owner: { role: "owner", permissions: ["*"] },
  },
  [OTHER_WS]: { agent: { role: "admin", permissions: ["*"] } },
};

function membershipResolver() {
  const lookups: string[] = [];
  const resolver: MembershipResolver = {
    async resolve(principal, workspaceId) {
      const userId = principal.kind === "api_token" ? principal.userId! : principal.id;
      lookups.push(`${userId}@${workspaceId}`);
      return members[workspaceId]?.[userId];
    },
  };
  return { resolver, lookups };
}

const user = (id: string): Principal => ({ kind: "user", id });
const token = (id: string, userId: string, workspaceId: string | undefined, scopes: string[] | undefined): Principal => ({
  kind: "api_token",
  id,
  userId,
  workspaceId,
  scopes,
});

const principals = {
  anonymous: undefined,
  agent: user("agent"),
  owner: user("owner"),
  stranger: user("stranger"),
  "agent's tags:read token": token("t-read", "agent", WS, ["tags:read"]),
  "agent's tags:manage token": token("t-manage", "agent", WS, ["tags:manage"]),
  "agent's token without scopes": token("t-none", "agent", WS, undefined),
  "agent's token for the other workspace": token("t-other", "agent", OTHER_WS, ["*"]),
  "agent's token bound to no workspace": token("t-unbound", "agent", undefined, ["*"]),
  "stranger's * token": token("t-stranger", "stranger", WS, ["*"]),
  "owner's * token": token("t-owner", "owner", WS, ["*"]),
} satisfies Record<string, Principal | undefined>;
type Who = keyof typeof principals;

const OK = "ok";
const NOT_MEMBER = { code: "PERMISSION_DENIED", message: "The caller is not a member of this workspace" };
const OTHER_WORKSPACE = { code: "PERMISSION_DENIED", message: "This API token does not belong to this workspace" };
const UNAUTHENTICATED = { code: "UNAUTHENTICATED", message: "Authentication required" };
const HEADER_REQUIRED = { code: "INVALID_ARGUMENT", message: "The x-workspace-id header is required" };
const HEADER_MALFORMED = { code: "INVALID_ARGUMENT", message: "The x-workspace-id header must be a 24-character lower-case hex id" };
const missing = (permission: string) => ({ code: "PERMISSION_DENIED", message: `Missing permission "${permission}"` });
const TOKEN_ON_ACCOUNT = { code: "PERMISSION_DENIED", message: "API tokens cannot act on a user's account: sign in with an access token" };
const noScope = (permission: string) => ({ code: "PERMISSION_DENIED", message: `This API token lacks the "${permission}" scope` });

describe("authorize", () => {
  test.each<[string, Who, string | undefined, typeof OK | { code: string; message: string }]>([
    // public: nothing is required, nothing is checked
    ["public", "anonymous", undefined, OK],
    ["public", "stranger", "not-a-workspace", OK],
    // user: a signed-in person, whatever the workspace header says; API tokens never
    ["user", "anonymous", undefined, UNAUTHENTICATED],
    ["user", "anonymous", WS, UNAUTHENTICATED],
    ["user", "agent", undefined, OK],
    ["user", "stranger", WS, OK],
    ["user", "stranger", "not-hex", OK],
    ["user", "agent's tags:read token", WS, TOKEN_ON_ACCOUNT],
    ["user", "owner's * token", undefined, TOKEN_ON_ACCOUNT],
    // authenticated: a principal, a well-formed workspace, membership
    ["authenticated", "anonymous", WS, UNAUTHENTICATED],
    ["authenticated", "anonymous", undefined, UNAUTHENTICATED],
    ["authenticated", "agent", undefined, HEADER_REQUIRED],
    ["authenticated", "agent", "", HEADER_REQUIRED],
    ["authenticated", "agent", "not-hex", HEADER_MALFORMED],
    ["authenticated", "agent", WS.toUpperCase(), HEADER_MALFORMED],
    ["authenticated", "agent", `${WS}0`, HEADER_MALFORMED],
    ["authenticated", "agent", WS, OK],
    ["authenticated", "agent", OTHER_WS, OK],
    ["authenticated", "owner", OTHER_WS, NOT_MEMBER],
    ["authenticated", "stranger", WS, NOT_MEMBER],
    ["authenticated", "agent's tags:read token", WS, OK],
    ["authenticated", "agent's token without scopes", WS, OK],
    ["authenticated", "agent's token for the other workspace", WS, OTHER_WORKSPACE],
    ["authenticated", "agent's token for the other workspace", OTHER_WS, OK],
    ["authenticated", "agent's token bound to no workspace", WS, OTHER_WORKSPACE],
    ["authenticated", "stranger's * token", WS, NOT_MEMBER],
    ["authenticated", "agent's tags:read token", "bad", HEADER_MALFORMED],
    // a permission: the role must grant it (manage > write > read, * grants all)
    ["tags:read", "anonymous", WS, UNAUTHENTICATED],
    ["tags:read", "stranger", WS, NOT_MEMBER],
    ["tags:read", "agent", WS, OK],
    ["tags:write", "agent", WS, OK],
    ["tags:manage", "agent", WS, missing("tags:manage")],
    ["inbox:read", "agent", WS, OK],
    ["inbox:write", "agent", WS, missing("inbox:write")],
    ["crm:read", "agent", WS, missing("crm:read")],
    ["tags:manage", "owner", WS, OK],
    ["crm:manage", "owner", WS, OK],
    ["tags:manage", "agent", OTHER_WS, OK],
    // ... and for an API token, its scopes as well
    ["tags:read", "agent's tags:read token", WS, OK],
    ["tags:write", "agent's tags:read token", WS, noScope("tags:write")],
    ["inbox:read", "agent's tags:read token", WS, noScope("inbox:read")],
    ["tags:write", "agent's tags:manage token", WS, OK],
    ["tags:manage", "agent's tags:manage token", WS, missing("tags:manage")],
    ["tags:read", "agent's token without scopes", WS, noScope("tags:read")],
    ["crm:manage", "owner's * token", WS, OK],
    ["tags:read", "stranger's * token", WS, NOT_MEMBER],
    ["tags:read", "agent's token for the other workspace", WS, OTHER_WORKSPACE],
    // an access string that is not a permission is never granted
    ["tags:delete", "owner", WS, missing("tags:delete")],
    ["", "owner", WS, missing("")],
  ])("access %j, %s, workspace %j: %j", async (access, who, workspaceId, expected) => {
    const { resolver } = membershipResolver();
    const call = authorize({ policy: { access }, principal: principals[who], workspaceId, resolver });
    if (expected === OK) {
      await expect(call).resolves.toBeDefined();
    } else {
      expect(await expectFailure(call)).toMatchObject(expected);
    }
  });

  test("a public method returns the principal when there is one, and nothing else", async () => {
    const { resolver, lookups } = membershipResolver();
    expect(await authorize({ policy: { access: "public" }, principal: undefined, workspaceId: WS, resolver })).toEqual({});
    expect(await authorize({ policy: { access: "public" }, principal: principals.agent, workspaceId: WS, resolver })).toEqual({
      principal: principals.agent,
    });
    expect(lookups).toEqual([]);
  });

  test("a user method returns the principal alone: no workspace, membership or permissions reach the service", async () => {
    const { resolver, lookups } = membershipResolver();
    expect(await authorize({ policy: { access: "user" }, principal: principals.agent, workspaceId: WS, resolver })).toEqual({
      principal: principals.agent,
    });
    expect(lookups).toEqual([]);
  });

  test("returns the principal, workspace, membership and the user's permissions", async () => {
    const { resolver } = membershipResolver();
    expect(await authorize({ policy: { access: "tags:read" }, principal: principals.agent, workspaceId: WS, resolver })).toEqual({
      principal: principals.agent,
      workspaceId: WS,
      membership: members[WS]!.agent,
      permissions: ["tags:write", "inbox:read"],
    });
  });

  test.each<[Who, string[]]>([
    ["agent's tags:read token", ["tags:read"]],
    ["agent's tags:manage token", ["tags:write"]],
    ["agent's token without scopes", []],
    ["owner's * token", ["*"]],
  ])("for %s, the permissions are the role's narrowed by the scopes: %j", async (who, permissions) => {
    const { resolver } = membershipResolver();
    const access = await authorize({ policy: { access: "authenticated" }, principal: principals[who], workspaceId: WS, resolver });
    expect(access.permissions).toEqual(permissions);
  });

  test("asks the resolver only when the request is otherwise acceptable", async () => {
    const { resolver, lookups } = membershipResolver();
    const attempts: Array<[Who, string | undefined]> = [
      ["anonymous", WS],
      ["agent", undefined],
      ["agent", "nope"],
      ["agent's token for the other workspace", WS],
    ];
    for (const [who, workspaceId] of attempts) {
      await expectFailure(authorize({ policy: { access: "tags:read" }, principal: principals[who], workspaceId, resolver }));
    }
    expect(lookups).toEqual([]);
    await authorize({ policy: { access: "tags:read" }, principal: principals["agent's tags:read token"], workspaceId: WS, resolver });
    expect(lookups).toEqual([`agent@${WS}`]);
  });
});
