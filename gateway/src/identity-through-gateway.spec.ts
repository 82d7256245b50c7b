import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { RunningService } from "@velaflows/kit";
import { ApiTokensService } from "@velaflows/proto/es/velaflows/api_tokens/v1/api_tokens_pb";
import { main as startApiTokens } from "@velaflows/api-tokens";
import { main as startAuth } from "@velaflows/auth";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { main, type RunningGateway } from "./main";

// The identity services wired into the gateway, over HTTP: real tokens from the Auth service,
// API tokens from the API Tokens service, membership and permissions on every call.
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
    API_TOKEN_CACHE_MS: "0",
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

async function call(method: string, path: string, options: { token?: string; workspaceId?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  // Each request from its own client address, so the small auth budget (5 per 15 min per address)
  // is spent only where a test means to spend it.
  const headers: Record<string, string> = { "x-forwarded-for": `2001:db8:${(++requestCounter).toString(16)}::1`, ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.workspaceId) headers["x-workspace-id"] = options.workspaceId;
  if (options.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(gateway.url + path, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

let counter = 0;
let requestCounter = Math.floor(Math.random() * 0x8000);
async function register() {
  const email = `user${Date.now()}-${++counter}@example.com`;
  const password = "correct horse battery";
  const registered = await call("POST", "/api/v1/auth/register", { json: { email, password, name: "Ada", workspaceName: "Ada's shop" } });
  expect(registered.status).toBe(201);
  const data = registered.body.data;
  return { email, password, workspaceId: data.workspace._id as string, accessToken: data.accessToken as string, refreshToken: data.refreshToken as string };
}

test("register, use the access token, refresh, reuse of a rotated refresh token revokes the family, logout", async () => {
  const user = await register();
  expect((await call("GET", "/api/v1/tags", { token: user.accessToken, workspaceId: user.workspaceId })).status).toBe(200);
  expect((await call("POST", "/api/v1/tags", { token: user.accessToken, workspaceId: user.workspaceId, json: { name: "From a real token" } })).status).toBe(201);

  const login = await call("POST", "/api/v1/auth/login", { json: { email: user.email, password: user.password } });
  expect(login.status).toBe(200);
  const refreshed = await call("POST", "/api/v1/auth/refresh", { json: { refreshToken: login.body.data.refreshToken } });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.data.refreshToken).not.toBe(login.body.data.refreshToken);
  const reused = await call("POST", "/api/v1/auth/refresh", { json: { refreshToken: login.body.data.refreshToken } });
  expect(reused.status).toBe(401);
  const afterReuse = await call("POST", "/api/v1/auth/refresh", { json: { refreshToken: refreshed.body.data.refreshToken } });
  expect(afterReuse.status).toBe(401); // the whole family is revoked

  const second = await call("POST", "/api/v1/auth/login", { json: { email: user.email, password: user.password } });
  expect((await call("POST", "/api/v1/auth/logout", { json: { refreshToken: second.body.data.refreshToken } })).status).toBe(200);
  expect((await call("POST", "/api/v1/auth/refresh", { json: { refreshToken: second.body.data.refreshToken } })).status).toBe(401);

  const wrong = await call("POST", "/api/v1/auth/login", { json: { email: user.email, password: "not the password" } });
  expect(wrong.status).toBe(401);
  expect(JSON.stringify(wrong.body)).not.toContain("not the password");
});

test.each([
  ["garbage", "garbage"],
  ["a tampered token", "TAMPER"],
  ["an unsigned token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."],
])("%s is refused with 401", async (_, credential) => {
  const user = await register();
  const token = credential === "TAMPER" ? `${user.accessToken.slice(0, -4)}AAAA` : credential;
  const response = await call("GET", "/api/v1/tags", { token, workspaceId: user.workspaceId });
  expect(response.status).toBe(401);
  expect(response.body.error.code).toBe("UNAUTHORIZED");
});

test("a member of workspace A cannot act in workspace B", async () => {
  const a = await register();
  const b = await register();
  const created = await call("POST", "/api/v1/tags", { token: b.accessToken, workspaceId: b.workspaceId, json: { name: "B's" } });
  const response = await call("GET", `/api/v1/tags/${created.body.data.tag._id}`, { token: a.accessToken, workspaceId: b.workspaceId });
  expect(response.status).toBe(403);
  expect((await call("GET", "/api/v1/tags", { token: a.accessToken, workspaceId: a.workspaceId })).body.data.pagination.total).toBe(0);
});

test("API tokens: scopes narrow the member, revocation takes effect, another workspace is refused", async () => {
  const user = await register();
  const created = await call("POST", "/api/v1/api-tokens", {
    token: user.accessToken,
    workspaceId: user.workspaceId,
    json: { name: "CI reader", scopes: ["tags:read"], environment: "live" },
  });
  expect(created.status).toBe(201);
  const secret = created.body.data.secret as string;
  expect(secret).toMatch(/^sk_live_[a-z0-9]{40}$/);
  const listed = await call("GET", "/api/v1/api-tokens", { token: user.accessToken, workspaceId: user.workspaceId });
  expect(JSON.stringify(listed.body)).not.toContain(secret);

  expect((await call("GET", "/api/v1/tags", { token: secret, workspaceId: user.workspaceId })).status).toBe(200);
  const write = await call("POST", "/api/v1/tags", { token: secret, workspaceId: user.workspaceId, json: { name: "nope" } });
  expect(write.status).toBe(403);
  const other = await register();
  expect((await call("GET", "/api/v1/tags", { token: secret, workspaceId: other.workspaceId })).status).toBe(403);

  const revoked = await call("POST", `/api/v1/api-tokens/${created.body.data.token._id}/revoke`, { token: user.accessToken, workspaceId: user.workspaceId, json: {} });
  expect(revoked.status).toBe(200);
  expect((await call("GET", "/api/v1/tags", { token: secret, workspaceId: user.workspaceId })).status).toBe(401);
});

test("the caller's own account (access \"user\"): a signed-in user, no workspace header, no API token", async () => {
  const user = await register();
  const me = await call("GET", "/api/v1/auth/me", { token: user.accessToken });
  expect(me.status).toBe(200);
  expect(me.body.data.user.email).toBe(user.email);
  expect((await call("PATCH", "/api/v1/auth/me", { token: user.accessToken, json: { name: "Ada L." } })).body.data.user.name).toBe("Ada L.");
  const sessions = await call("GET", "/api/v1/auth/sessions", { token: user.accessToken });
  expect(sessions.status).toBe(200);
  expect(sessions.body.data.items.length).toBeGreaterThan(0);
  const created = await call("POST", "/api/v1/auth/workspaces", { token: user.accessToken, json: { name: "Second shop" } });
  expect(created.status).toBe(201);
  const mine = await call("GET", "/api/v1/auth/workspaces", { token: user.accessToken });
  expect(mine.body.data.items.map((w: { _id: string }) => w._id).sort()).toEqual([user.workspaceId, created.body.data.workspace._id].sort());
  // The workspace header is ignored, even one the user does not belong to.
  const other = await register();
  expect((await call("GET", "/api/v1/auth/me", { token: user.accessToken, workspaceId: other.workspaceId })).body.data.user.email).toBe(user.email);

  const anonymous = await call("GET", "/api/v1/auth/me", {});
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
  expect((await call("GET", "/api/v1/auth/workspaces", { workspaceId: user.workspaceId })).status).toBe(401);

  const token = await call("POST", "/api/v1/api-tokens", { token: user.accessToken, workspaceId: user.workspaceId, json: { name: "reader", scopes: ["tags:read"], environment: "test" } });
  expect(token.status).toBe(201);
  const withToken = await call("GET", "/api/v1/auth/me", { token: token.body.data.secret, workspaceId: user.workspaceId });
  expect(withToken.status).toBe(403);
  expect(withToken.body.error.code).toBe("FORBIDDEN");
  expect((await call("POST", "/api/v1/auth/me/password", { token: token.body.data.secret, json: { currentPassword: user.password, newPassword: "another long one" } })).status).toBe(403);
});

test("a secret-bearing response refuses Idempotency-Key", async () => {
  const user = await register();
  const response = await call("POST", "/api/v1/api-tokens", {
    token: user.accessToken,
    workspaceId: user.workspaceId,
    json: { name: "x", scopes: ["tags:read"], environment: "test" },
    headers: { "idempotency-key": "k1" },
  });
  expect(response.status).toBe(400);
  // The same over Connect: the edge refuses the header before the token is made.
  const client = createClient(ApiTokensService, createConnectTransport({ baseUrl: gateway.url, httpVersion: "1.1" }));
  const headers = { authorization: `Bearer ${user.accessToken}`, "x-workspace-id": user.workspaceId, "idempotency-key": "k2" };
  const refused = await client.createApiToken({ name: "y", scopes: ["tags:read"], environment: "test" }, { headers }).then(
    () => undefined,
    (error: unknown) => ConnectError.from(error),
  );
  expect(refused?.code).toBe(Code.InvalidArgument);
});

test("the sixth login attempt in the window is refused with 429", async () => {
  const statuses: number[] = [];
  // A separate client address keeps this budget apart from the other tests' logins.
  for (let i = 0; i < 6; i++) {
    const response = await call("POST", "/api/v1/auth/login", { json: { email: "nobody@example.com", password: "whatever1" }, headers: { "x-forwarded-for": "203.0.113.9" } });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
});

test("failed logins are limited per e-mail address too, whatever the client address: 429 with Retry-After", async () => {
  const user = await register();
  // call() sends each request from its own address, so the gateway's per-IP budget never applies.
  for (let i = 0; i < 5; i++) expect((await call("POST", "/api/v1/auth/login", { json: { email: user.email, password: `wrong ${i}` } })).status).toBe(401);
  const refused = await call("POST", "/api/v1/auth/login", { json: { email: user.email, password: user.password } });
  expect(refused.status).toBe(429);
  expect(refused.body.error).toMatchObject({ code: "TOO_MANY_REQUESTS", details: { retryAfterSeconds: expect.any(Number) } });
  expect(Number(refused.headers.get("retry-after"))).toBe(refused.body.error.details.retryAfterSeconds);
  expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
  expect(refused.body.error.details.retryAfterSeconds).toBeLessThanOrEqual(900);
});
