import type { RunningService } from "@velaflows/kit";
import { main as startApiTokens } from "@velaflows/api-tokens";
import { main as startAuth } from "@velaflows/auth";
import { main as startTags } from "@velaflows/tags";
import { readOutboxEvents, startTestService } from "@velaflows/testing";
import { main, type RunningGateway } from "./main";

// Changes to who may do what reach the gateway within its cache windows: a removed member, a
// changed role, a revoked API token. The gateway caches membership and API-token answers for
// CACHE_MS here (seconds in production); each check polls until the change shows, up to a deadline
// far beyond the window, so a slow machine cannot fail it but a change that never arrives does.
const CACHE_MS = 400;
const DEADLINE_MS = CACHE_MS + 15_000;

let services: RunningService[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  services = [await startTestService("auth", startAuth), await startTestService("api-tokens", startApiTokens), await startTestService("tags", startTags)];
  const [auth, apiTokens, tags] = services;
  gateway = await main({
    HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    AUTH_ADDR: auth!.grpcAddress,
    API_TOKENS_ADDR: apiTokens!.grpcAddress,
    TAGS_ADDR: tags!.grpcAddress,
    MEMBERSHIP_CACHE_MS: String(CACHE_MS),
    API_TOKEN_CACHE_MS: String(CACHE_MS),
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
  const headers: Record<string, string> = { "x-forwarded-for": `2001:db8:${(++requestCounter).toString(16)}::2` };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.workspaceId) headers["x-workspace-id"] = options.workspaceId;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(gateway.url + path, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, body: (await response.json()) as any };
}

/** Repeats `probe` until it answers `status`; fails when `DEADLINE_MS` passes first. */
async function eventuallyStatus(status: number, probe: () => Promise<{ status: number }>): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await probe()).status;
    if (last === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`still ${last} after ${DEADLINE_MS} ms, expected ${status}`);
}

let counter = 0;
async function register() {
  const email = `revocation${Date.now()}-${++counter}@example.com`;
  const registered = await call("POST", "/api/v1/auth/register", { json: { email, password: "correct horse battery", name: "Ada", workspaceName: "Shop" } });
  expect(registered.status).toBe(201);
  const data = registered.body.data;
  return { email, userId: data.user._id as string, workspaceId: data.workspace._id as string, accessToken: data.accessToken as string };
}

/** `owner`'s workspace gains `newcomer` as a member with the system role `roleKey`, through an invitation. */
async function join(owner: Awaited<ReturnType<typeof register>>, newcomer: Awaited<ReturnType<typeof register>>, roleKey: string) {
  const roles = await call("GET", "/api/v1/auth/roles", { token: owner.accessToken, workspaceId: owner.workspaceId });
  const roleIds = Object.fromEntries((roles.body.data.items as Array<{ key: string; _id: string }>).map((r) => [r.key, r._id]));
  const invited = await call("POST", "/api/v1/auth/invitations", { token: owner.accessToken, workspaceId: owner.workspaceId, json: { email: newcomer.email, roleId: roleIds[roleKey] } });
  expect(invited.status).toBe(201);
  const [event] = (await readOutboxEvents("auth", "auth.invitation.delivery_requested", (data) => data.email === newcomer.email)).slice(-1);
  const accepted = await call("POST", "/api/v1/auth/invitations/accept", { token: newcomer.accessToken, json: { token: event!.data.token } });
  expect(accepted.status).toBe(200);
  return roleIds;
}

test("a role change reaches the gateway within the membership cache window, both ways", async () => {
  const owner = await register();
  const member = await register();
  const roleIds = await join(owner, member, "agent");
  // Agents may not read API tokens; admins may.
  const listTokens = () => call("GET", "/api/v1/api-tokens", { token: member.accessToken, workspaceId: owner.workspaceId });
  expect((await listTokens()).status).toBe(403);

  const promoted = await call("PATCH", `/api/v1/auth/members/${member.userId}`, { token: owner.accessToken, workspaceId: owner.workspaceId, json: { roleId: roleIds.admin } });
  expect(promoted.status).toBe(200);
  await eventuallyStatus(200, listTokens);

  const demoted = await call("PATCH", `/api/v1/auth/members/${member.userId}`, { token: owner.accessToken, workspaceId: owner.workspaceId, json: { roleId: roleIds.agent } });
  expect(demoted.status).toBe(200);
  await eventuallyStatus(403, listTokens);
});

test("a removed member loses access within the membership cache window, and only in that workspace", async () => {
  const owner = await register();
  const member = await register();
  await join(owner, member, "agent");
  const listTags = () => call("GET", "/api/v1/tags?limit=20", { token: member.accessToken, workspaceId: owner.workspaceId });
  expect((await listTags()).status).toBe(200);

  expect((await call("DELETE", `/api/v1/auth/members/${member.userId}`, { token: owner.accessToken, workspaceId: owner.workspaceId })).status).toBe(200);
  await eventuallyStatus(403, listTags);
  const refused = await listTags();
  expect(refused.body.error).toMatchObject({ code: "FORBIDDEN", message: "The caller is not a member of this workspace" });
  // Their own workspace is untouched.
  expect((await call("GET", "/api/v1/tags?limit=20", { token: member.accessToken, workspaceId: member.workspaceId })).status).toBe(200);
});

test("a revoked API token stops working within the API-token cache window; a deleted one too", async () => {
  const owner = await register();
  const create = async (name: string) => {
    const created = await call("POST", "/api/v1/api-tokens", { token: owner.accessToken, workspaceId: owner.workspaceId, json: { name, scopes: ["tags:read"], environment: "live" } });
    expect(created.status).toBe(201);
    const secret = created.body.data.secret as string;
    const id = created.body.data.token._id as string;
    const use = () => call("GET", "/api/v1/tags?limit=20", { token: secret, workspaceId: owner.workspaceId });
    expect((await use()).status).toBe(200);
    return { id, use };
  };

  const revoked = await create("to revoke");
  expect((await call("POST", `/api/v1/api-tokens/${revoked.id}/revoke`, { token: owner.accessToken, workspaceId: owner.workspaceId, json: {} })).status).toBe(200);
  await eventuallyStatus(401, revoked.use);

  const deleted = await create("to delete");
  expect((await call("DELETE", `/api/v1/api-tokens/${deleted.id}`, { token: owner.accessToken, workspaceId: owner.workspaceId })).status).toBe(200);
  await eventuallyStatus(401, deleted.use);
});

test("a removed creator's API token stops working within the membership cache window", async () => {
  const owner = await register();
  const member = await register();
  await join(owner, member, "admin");
  const created = await call("POST", "/api/v1/api-tokens", { token: member.accessToken, workspaceId: owner.workspaceId, json: { name: "admin's", scopes: ["tags:read"], environment: "live" } });
  expect(created.status).toBe(201);
  const use = () => call("GET", "/api/v1/tags?limit=20", { token: created.body.data.secret, workspaceId: owner.workspaceId });
  expect((await use()).status).toBe(200);

  expect((await call("DELETE", `/api/v1/auth/members/${member.userId}`, { token: owner.accessToken, workspaceId: owner.workspaceId })).status).toBe(200);
  await eventuallyStatus(403, use);
});
