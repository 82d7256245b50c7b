import { newObjectId } from "@velaflows/kit";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({ RATE_LIMIT_AUTH: "2/15m", CORS_ORIGINS: "https://app.example.com" });
});
afterAll(() => h.stop());

const create = (headers: Record<string, string>, json: unknown = { name: "widget" }) => h.request("/api/v1/testing/things", { method: "POST", headers, json });

describe("authentication and authorization", () => {
  const workspaceId = newObjectId();

  test.each([
    ["no credentials", async () => ({ "x-workspace-id": workspaceId }), 401, "UNAUTHORIZED"],
    ["a token that is not ours", async () => ({ authorization: "Bearer abc.def.ghi", "x-workspace-id": workspaceId }), 401, "UNAUTHORIZED"],
    ["another scheme", async () => ({ authorization: "Basic dXNlcjpwYXNz", "x-workspace-id": workspaceId }), 401, "UNAUTHORIZED"],
    ["no workspace header", async () => ({ authorization: `Bearer ${await h.token(workspaceId)}` }), 400, "BAD_REQUEST"],
    ["a malformed workspace header", async () => ({ authorization: `Bearer ${await h.token(workspaceId)}`, "x-workspace-id": "ws1" }), 400, "BAD_REQUEST"],
    ["a workspace the user is not a member of", async () => ({ authorization: `Bearer ${await h.token(newObjectId())}`, "x-workspace-id": workspaceId }), 403, "FORBIDDEN"],
    ["read permission for a write method", async () => ({ authorization: `Bearer ${await h.token(workspaceId, ["testing:read"])}`, "x-workspace-id": workspaceId }), 403, "FORBIDDEN"],
  ])("%s → %i", async (_, headers, status, code) => {
    const response = await create(await headers());
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    if (status === 401) expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  test("write permission allows the write method, manage implies write, write does not imply manage", async () => {
    const writer = { authorization: `Bearer ${await h.token(workspaceId, ["testing:write"])}`, "x-workspace-id": workspaceId };
    expect((await create(writer)).status).toBe(201);
    expect((await h.request("/api/v1/testing/things/t1", { method: "DELETE", headers: writer })).status).toBe(403);
    const manager = { authorization: `Bearer ${await h.token(workspaceId, ["testing:manage"])}`, "x-workspace-id": workspaceId };
    expect((await create(manager)).status).toBe(201);
    const deleted = await h.request("/api/v1/testing/things/t1", { method: "DELETE", headers: manager });
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: { success: true, data: {} } });
  });

  test("verified tokens are remembered apart: another user's, a tampered copy, an expired one", async () => {
    const otherWorkspaceId = newObjectId();
    const reader = await h.token(workspaceId, ["testing:read"]);
    const outsider = await h.token(otherWorkspaceId, ["testing:read"]);
    const list = (token: string, workspace = workspaceId) =>
      h.request("/api/v1/testing/things?limit=1", { headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspace } });
    for (let i = 0; i < 3; i++) {
      expect((await list(reader)).status).toBe(200);
      expect((await list(outsider)).status).toBe(403); // a member of another workspace only
      expect((await list(outsider, otherWorkspaceId)).status).toBe(200);
    }
    const [header, , signature] = reader.split(".") as [string, string, string];
    const forged = `${header}.${outsider.split(".")[1]}.${signature}`; // the outsider's claims under the reader's signature
    const forgedResponse = await list(forged, otherWorkspaceId);
    expect([forgedResponse.status, forgedResponse.body.error.message]).toEqual([401, "Access token signature is invalid"]);
    // Expired beyond the clock tolerance (30 s): refused, however often it is sent.
    const expired = await h.gateway.devIdentity!.mintToken({ userId: newObjectId(), workspaceId, permissions: ["testing:read"], ttlSeconds: -60 });
    for (let i = 0; i < 2; i++) {
      const response = await list(expired);
      expect([response.status, response.body.error.message]).toEqual([401, "Access token has expired"]);
    }
    expect((await list(reader)).status).toBe(200);
  });

  test("any member may call an `authenticated` method; public methods need nothing", async () => {
    const member = { authorization: `Bearer ${await h.token(workspaceId, [])}`, "x-workspace-id": workspaceId };
    expect((await h.request("/api/v1/testing/things?limit=1", { headers: member })).status).toBe(200);
    expect((await h.request("/api/v1/testing/echo")).status).toBe(200);
  });
});

describe("rate limits", () => {
  test("every response carries the X-RateLimit headers, errors included", async () => {
    for (const path of ["/api/v1/testing/echo", "/api/v1/nowhere"]) {
      const response = await h.request(path);
      expect(Number(response.headers.get("x-ratelimit-limit"))).toBeGreaterThan(0);
      expect(response.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
      expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
  });

  test("the auth class has its own small budget; the refusal is 429 with Retry-After", async () => {
    const signIn = () => h.request("/api/v1/testing/sign-in", { method: "POST", json: { email: "a@b.co" } });
    const first = await signIn();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect((await signIn()).status).toBe(200);
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.body.error.message).toMatch(/^Rate limit exceeded\. Try again in \d+ seconds\.$/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(900);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    // other classes are not affected
    expect((await h.request("/api/v1/testing/echo")).status).toBe(200);
  });
});

describe("Idempotency-Key", () => {
  test("the first response is replayed; the same key with another body is 409", async () => {
    const workspaceId = newObjectId();
    const headers = { authorization: `Bearer ${await h.token(workspaceId)}`, "x-workspace-id": workspaceId, "idempotency-key": "order-42" };
    const first = await create(headers, { name: "first" });
    expect(first.status).toBe(201);
    const replay = await create({ ...headers, "x-request-id": "another" }, { name: "first" });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body); // including the first request's id: nothing ran again
    const mismatch = await create(headers, { name: "second" });
    expect(mismatch.status).toBe(409);
    expect(mismatch.body.error.code).toBe("CONFLICT");
    const malformed = await create({ ...headers, "idempotency-key": "has space" });
    expect(malformed.status).toBe(400);
  });

  test("keys are scoped by caller", async () => {
    const workspaceId = newObjectId();
    const a = { authorization: `Bearer ${await h.token(workspaceId)}`, "x-workspace-id": workspaceId, "idempotency-key": "same" };
    const b = { authorization: `Bearer ${await h.token(workspaceId)}`, "x-workspace-id": workspaceId, "idempotency-key": "same" };
    const first = await create(a);
    const second = await create(b);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.body.data.thing.userId).not.toBe(first.body.data.thing.userId);
  });
});

describe("operations", () => {
  test("CORS preflight for an allowed origin; no CORS headers for others", async () => {
    const preflight = await h.request("/api/v1/testing/things", {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-workspace-id");
    const other = await h.request("/api/v1/testing/echo", { headers: { origin: "https://evil.example.com" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("health, readiness and metrics by route template", async () => {
    expect((await h.request("/healthz")).status).toBe(200);
    expect((await h.request("/readyz")).body).toMatchObject({ status: "ready" });
    await h.request("/api/v1/testing/books/b123");
    const metrics = (await h.request("/metrics")).body as string;
    const counted = metrics.split("\n").find((line) => line.startsWith("http_server_request_duration_seconds_count{") && line.includes('http_route="/api/v1/testing/books/{id}"'));
    expect(counted).toContain('http_request_method="GET"');
    expect(counted).toContain('http_response_status_code="200"');
    expect(metrics).not.toContain("b123");
    expect(metrics).toContain("gateway_rate_limit_rejections_total");
  });
});
