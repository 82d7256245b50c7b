import type { RunningService } from "@velaflows/kit";
import { main as startAuth } from "@velaflows/auth";
import { main as startMacros } from "@velaflows/macros";
import { readOutboxEvents, startTestService } from "@velaflows/testing";
import { main, type RunningGateway } from "./main";

// Team macros end to end: real users and teams in the Auth service, whose ResolveMembership
// answers the member's teams; the gateway passes them to Macros as x-team-ids on every call.
// Membership is not cached here, so a change in a team shows on the next request.
let services: RunningService[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  services = [await startTestService("auth", startAuth), await startTestService("macros", startMacros)];
  const [auth, macros] = services;
  gateway = await main({
    HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    AUTH_ADDR: auth!.grpcAddress,
    MACROS_ADDR: macros!.grpcAddress,
    MEMBERSHIP_CACHE_MS: "0",
    TRUST_PROXY: "true",
    RATE_LIMIT_GENERAL: "100000/15s",
    RATE_LIMIT_IP: "100000/15s",
  });
}, 60_000);
afterAll(async () => {
  await gateway.stop();
  for (const service of services) await service.stop();
});

let requestCounter = Math.floor(Math.random() * 0x8000);
async function call(method: string, path: string, options: { token?: string; workspaceId?: string; json?: unknown } = {}) {
  // Each request from its own client address: the auth budget (5 per 15 min) is per address.
  const headers: Record<string, string> = { "x-forwarded-for": `2001:db8:${(++requestCounter).toString(16)}::3` };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.workspaceId) headers["x-workspace-id"] = options.workspaceId;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(gateway.url + path, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, body: (await response.json()) as any };
}

let counter = 0;
async function register() {
  const email = `teams${Date.now()}-${++counter}@example.com`;
  const registered = await call("POST", "/api/v1/auth/register", { json: { email, password: "correct horse battery", name: "Ada", workspaceName: "Shop" } });
  expect(registered.status).toBe(201);
  const data = registered.body.data;
  return { email, userId: data.user._id as string, workspaceId: data.workspace._id as string, accessToken: data.accessToken as string };
}
type User = Awaited<ReturnType<typeof register>>;

/** `newcomer` joins `owner`'s workspace as an agent, through an invitation. */
async function joinAsAgent(owner: User, newcomer: User): Promise<void> {
  const roles = await call("GET", "/api/v1/auth/roles", { token: owner.accessToken, workspaceId: owner.workspaceId });
  const agentRole = (roles.body.data.items as Array<{ key: string; _id: string }>).find((r) => r.key === "agent")!._id;
  expect((await call("POST", "/api/v1/auth/invitations", { token: owner.accessToken, workspaceId: owner.workspaceId, json: { email: newcomer.email, roleId: agentRole } })).status).toBe(201);
  const [event] = (await readOutboxEvents("auth", "auth.invitation.delivery_requested", (data) => data.email === newcomer.email)).slice(-1);
  expect((await call("POST", "/api/v1/auth/invitations/accept", { token: newcomer.accessToken, json: { token: event!.data.token } })).status).toBe(200);
}

test("a team macro reaches the team's members (and the owner) through the gateway, and a new member on their next request", async () => {
  const owner = await register();
  const [alice, bob] = [await register(), await register()];
  await joinAsAgent(owner, alice);
  await joinAsAgent(owner, bob);
  const as = (user: User) => ({ token: user.accessToken, workspaceId: owner.workspaceId });
  const team = await call("POST", "/api/v1/auth/teams", { ...as(owner), json: { name: "Support", userIds: [alice.userId] } });
  expect(team.status).toBe(201);
  const teamId = team.body.data.team._id as string;

  // Bob is not in the team: he cannot share a macro with it.
  const refused = await call("POST", "/api/v1/macros", { ...as(bob), json: { name: "B", shortCode: "b", body: "x", visibility: "team", teamId } });
  expect(refused.status).toBe(422);
  expect(refused.body.error.details.errors).toEqual([{ path: "teamId", message: "is not a team you belong to" }]);

  const created = await call("POST", "/api/v1/macros", { ...as(alice), json: { name: "Refunds", shortCode: "refund", body: "Refunded", visibility: "team", teamId } });
  expect(created.status).toBe(201);
  const macroId = created.body.data.macro._id as string;
  const shortCodes = async (user: User) => (await call("GET", "/api/v1/macros", as(user))).body.data.items.map((m: { shortCode: string }) => m.shortCode);

  expect(await shortCodes(alice)).toEqual(["refund"]);
  expect(await shortCodes(owner)).toEqual(["refund"]); // "*": every team
  expect(await shortCodes(bob)).toEqual([]);
  expect((await call("GET", `/api/v1/macros/${macroId}`, as(bob))).status).toBe(404);
  expect((await call("POST", `/api/v1/macros/${macroId}/render`, { ...as(bob), json: {} })).status).toBe(404);

  expect((await call("POST", `/api/v1/auth/teams/${teamId}/members`, { ...as(owner), json: { userIds: [bob.userId] } })).status).toBe(200);
  expect(await shortCodes(bob)).toEqual(["refund"]);
  expect((await call("POST", `/api/v1/macros/${macroId}/render`, { ...as(bob), json: {} })).body.data.text).toBe("Refunded");

  // Another workspace's member sees nothing of it, whatever teams they have there.
  const stranger = await register();
  const elsewhere = await call("GET", `/api/v1/macros/${macroId}`, { token: stranger.accessToken, workspaceId: stranger.workspaceId });
  expect(elsewhere.status).toBe(404);
});
