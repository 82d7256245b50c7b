import { createServer } from "node:net";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

let h: GatewayHarness;
let closedPort: number;
beforeAll(async () => {
  // A port nothing listens on: the "tags" upstream is down for this gateway.
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  h = await startGatewayHarness({ BODY_LIMIT_BYTES: "2048" }, { tags: `127.0.0.1:${closedPort}` });
});
afterAll(() => h.stop());

const fail = (json: Record<string, unknown>) => h.request("/api/v1/testing/fail", { method: "POST", json });

test.each([
  [{ code: 5, message: "Thing not found", resourceId: "t1" }, 404, "NOT_FOUND", "Thing not found", { resourceId: "t1" }],
  [{ code: 3, message: "Validation failed", violations: ["name=is required", "items[1].qty=must be at least 1"] }, 422, "VALIDATION_ERROR", "Validation failed", {
    errors: [
      { path: "name", message: "is required" },
      { path: "items[1].qty", message: "must be at least 1" },
    ],
  }],
  [{ code: 3, message: "Bad cursor" }, 400, "BAD_REQUEST", "Bad cursor", undefined],
  [{ code: 11, message: "Out of range" }, 400, "BAD_REQUEST", "Out of range", undefined],
  [{ code: 16, message: "Who are you" }, 401, "UNAUTHORIZED", "Who are you", undefined],
  [{ code: 7, message: "Not yours" }, 403, "FORBIDDEN", "Not yours", undefined],
  [{ code: 6, message: "Exists" }, 409, "CONFLICT", "Exists", undefined],
  [{ code: 10, message: "Aborted" }, 409, "CONFLICT", "Aborted", undefined],
  [{ code: 9, message: "Wrong state" }, 409, "CONFLICT", "Wrong state", undefined],
  [{ code: 8, message: "Quota" }, 429, "TOO_MANY_REQUESTS", "Quota", undefined],
  [{ code: 12, message: "Later" }, 501, "NOT_IMPLEMENTED", "Later", undefined],
  [{ code: 14, message: "Down" }, 503, "SERVICE_UNAVAILABLE", "The testing service is not available", undefined],
  [{ code: 4, message: "Slow" }, 504, "GATEWAY_TIMEOUT", "Slow", undefined],
  [{ code: 13, message: "secret internals" }, 500, "INTERNAL_ERROR", "Internal server error", undefined],
  [{ code: 15, message: "lost" }, 500, "INTERNAL_ERROR", "Internal server error", undefined],
  [{ crash: true }, 500, "INTERNAL_ERROR", "Internal server error", undefined],
])("upstream %j → %i %s", async (request, status, code, message, details) => {
  const response = await fail(request);
  expect(response.status).toBe(status);
  expect(response.body).toEqual({
    success: false,
    error: { code, message, ...(details ? { details } : {}), requestId: response.headers.get("x-request-id") },
  });
  expect(JSON.stringify(response.body)).not.toMatch(/hunter2|secret internals|stack/);
});

test("a service's RESOURCE_EXHAUSTED with RetryInfo → 429 with Retry-After and details.retryAfterSeconds", async () => {
  const response = await fail({ code: 8, message: "Too many failed logins", retryAfterSeconds: 42 });
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe("42");
  expect(response.body.error).toMatchObject({ code: "TOO_MANY_REQUESTS", message: "Too many failed logins", details: { retryAfterSeconds: 42 } });
});

test.each([
  ["unknown path", "GET", "/api/v1/nowhere", undefined, {}, 404, "NOT_FOUND"],
  ["unknown path outside the API", "GET", "/nowhere", undefined, {}, 404, "NOT_FOUND"],
  ["malformed percent-encoding", "GET", "/api/v1/testing/books/%zz", undefined, {}, 400, "BAD_REQUEST"],
  ["malformed JSON", "POST", "/api/v1/testing/echo", '{"stringValue": ', { "content-type": "application/json" }, 400, "BAD_REQUEST"],
  ["a body of the wrong type", "POST", "/api/v1/testing/echo", '{"int32Value": "abc"}', { "content-type": "application/json" }, 400, "BAD_REQUEST"],
  ["an array where an object is needed", "POST", "/api/v1/testing/echo", "[1]", { "content-type": "application/json" }, 400, "BAD_REQUEST"],
  ["a body that is not JSON", "POST", "/api/v1/testing/echo", "a=b", { "content-type": "application/x-www-form-urlencoded" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["a body over the limit", "POST", "/api/v1/testing/echo", JSON.stringify({ stringValue: "x".repeat(5000) }), { "content-type": "application/json" }, 413, "PAYLOAD_TOO_LARGE"],
  ["a bad path parameter", "GET", "/api/v1/testing/scalars/x/1/1/true/1/COLOR_RED/s", undefined, {}, 400, "BAD_REQUEST"],
  ["a repeated singular query parameter", "GET", "/api/v1/testing/echo?int32_value=1&int32_value=2", undefined, {}, 400, "BAD_REQUEST"],
  ["a malformed Grpc-Timeout", "GET", "/api/v1/testing/echo", undefined, { "grpc-timeout": "soon" }, 400, "BAD_REQUEST"],
])("%s", async (_, method, path, body, headers, status, code) => {
  const response = await h.request(path, { method, body, headers });
  expect(response.status).toBe(status);
  expect(response.body.success).toBe(false);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.message).toEqual(expect.any(String));
});

test("a known path with the wrong method is 405 with Allow", async () => {
  const response = await h.request("/api/v1/testing/echo", { method: "DELETE" });
  expect(response.status).toBe(405);
  expect(response.headers.get("allow")).toBe("GET, POST");
  expect(response.body.error.code).toBe("METHOD_NOT_ALLOWED");
});

test("a bad parameter is named in the error", async () => {
  const response = await h.request("/api/v1/testing/echo?uint32Value=-1");
  expect(response.body.error).toMatchObject({ code: "BAD_REQUEST", details: { parameter: "uint32Value" } });
  expect(response.body.error.message).toContain("uint32Value");
});

test("field rules are checked at the gateway before the service is called (422 with paths)", async () => {
  const workspaceId = "6612a1b2c3d4e5f6a7b8c9d0";
  const token = await h.token(workspaceId);
  const response = await h.request("/api/v1/testing/things", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId },
    json: { name: "x", email: "not-an-email", quantity: 11, labels: ["a", "z", "b", "c"] },
  });
  expect(response.status).toBe(422);
  expect(response.body.error.code).toBe("VALIDATION_ERROR");
  expect(response.body.error.details.errors).toEqual([
    { path: "name", message: "must be at least 2 characters" },
    { path: "email", message: "must be a valid email address" },
    { path: "quantity", message: "must be at most 10" },
    { path: "labels", message: "must have at most 3 items" },
  ]);
});

test("a service that is down is 503 and the gateway stays up", async () => {
  const workspaceId = "6612a1b2c3d4e5f6a7b8c9d0";
  const token = await h.token(workspaceId);
  const response = await h.request("/api/v1/tags", { headers: { authorization: `Bearer ${token}`, "x-workspace-id": workspaceId } });
  expect(response.status).toBe(503);
  expect(response.body.error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "The tags service is not available" });
  expect((await h.request("/healthz")).status).toBe(200);
  expect((await h.request("/api/v1/testing/echo")).status).toBe(200);
  // One service down does not take the gateway out of rotation.
  expect((await h.request("/readyz")).status).toBe(200);
});

test("Grpc-Timeout sets the upstream deadline (504)", async () => {
  const response = await h.request("/api/v1/testing/slow?delay_ms=3000", { headers: { "grpc-timeout": "100m" } });
  expect(response.status).toBe(504);
  expect(response.body.error.code).toBe("GATEWAY_TIMEOUT");
});

test("a client that goes away cancels the upstream call", async () => {
  const before = h.observed.cancelledSlowCalls;
  const abort = new AbortController();
  const pending = fetch(`${h.gateway.url}/api/v1/testing/slow?delay_ms=5000`, { signal: abort.signal }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  abort.abort();
  await pending;
  for (let i = 0; i < 50 && h.observed.cancelledSlowCalls === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(h.observed.cancelledSlowCalls).toBe(before + 1);
});
