import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type CallOptions, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { newObjectId, protoRegistry, type RunningService } from "@velaflows/kit";
import { BadRequestSchema, ErrorInfoSchema, ResourceInfoSchema, RetryInfoSchema } from "@velaflows/proto/es/google/rpc/error_details_pb";
import { TagsService } from "@velaflows/proto/es/velaflows/tags/v1/tags_pb";
import { Color, EchoRequestSchema, EverythingService } from "@velaflows/proto/es/velaflows/testing/v1/everything_pb";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "../testing/gateway-harness.fixture";
import { connectMethods } from "./connect-methods";

// The Connect edge through real connect-node clients: Connect (JSON and binary) and gRPC-Web over
// HTTP/1.1 on the gateway's port, gRPC and Connect over h2c on its gRPC port, in front of the
// in-process EverythingService and the real Tags service.
let tags: RunningService;
let h: GatewayHarness;
const sessions: Http2SessionManager[] = [];
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  h = await startGatewayHarness({ RATE_LIMIT_AUTH: "2/15m", CORS_ORIGINS: "https://app.example.com" }, { tags: tags.grpcAddress });
});
afterAll(async () => {
  for (const session of sessions) session.abort();
  await h.stop();
  await tags.stop();
});

const h2cUrl = () => `http://127.0.0.1:${h.gateway.grpcPort}`;
function h2cSession(): Http2SessionManager {
  const session = new Http2SessionManager(h2cUrl());
  sessions.push(session);
  return session;
}

const TRANSPORTS: [string, () => Transport][] = [
  ["Connect JSON over HTTP/1.1", () => createConnectTransport({ baseUrl: h.gateway.url, httpVersion: "1.1" })],
  ["Connect binary over HTTP/1.1", () => createConnectTransport({ baseUrl: h.gateway.url, httpVersion: "1.1", useBinaryFormat: true })],
  ["gRPC-Web over HTTP/1.1", () => createGrpcWebTransport({ baseUrl: h.gateway.url, httpVersion: "1.1" })],
  ["gRPC over h2c", () => createGrpcTransport({ baseUrl: h2cUrl(), sessionManager: h2cSession() })],
  ["Connect over h2c", () => createConnectTransport({ baseUrl: h2cUrl(), httpVersion: "2", sessionManager: h2cSession() })],
];

async function failureOf(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

async function member(permissions?: readonly string[]) {
  const workspaceId = newObjectId();
  return { workspaceId, headers: { authorization: `Bearer ${await h.token(workspaceId, permissions)}`, "x-workspace-id": workspaceId } };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

test("internal methods (service-to-service only) are not served at the edge", () => {
  const procedures = connectMethods(protoRegistry()).map((m) => m.procedure);
  expect(procedures).not.toContain("/velaflows.auth.v1.AuthInternalService/ResolveMembership");
  expect(procedures).toContain("/velaflows.auth.v1.AuthService/Login");
});

test("every unary method of every velaflows service is served, and nothing else", () => {
  const procedures = connectMethods(protoRegistry()).map((m) => `${m.upstream} ${m.procedure}`);
  for (const method of EverythingService.methods) expect(procedures).toContain(`testing /velaflows.testing.v1.EverythingService/${method.name}`);
  for (const method of TagsService.methods) expect(procedures).toContain(`tags /velaflows.tags.v1.TagsService/${method.name}`);
  expect(procedures.every((p) => / \/velaflows\.[a-z0-9_]+\.v\d+\.\w+\/\w+$/.test(p))).toBe(true);
  expect(procedures.some((p) => p.includes("velaflows.api.") || p.includes("velaflows.common."))).toBe(false);
});

describe.each(TRANSPORTS)("%s", (_name, transport) => {
  const everything = () => createClient(EverythingService, transport());

  test("Echo round-trips every scalar, int64 as bigint", async () => {
    const request = {
      int32Value: -7,
      int64Value: 9_007_199_254_740_993n, // 2^53 + 1: not representable as a double
      uint32Value: 4_000_000_000,
      uint64Value: 18_446_744_073_709_551_615n,
      sint32Value: -3,
      fixed64Value: 1_234_567_890_123_456_789n,
      floatValue: 1.5,
      doubleValue: 2.25,
      boolValue: true,
      stringValue: "héllo ✓",
      bytesValue: new Uint8Array([0, 1, 255]),
      enumValue: Color.GREEN,
      repeatedString: ["a", "b"],
      repeatedInt32: [1, -2, 3],
      repeatedEnum: [Color.RED, Color.GREEN],
      nested: { name: "n", amount: -5n, color: Color.RED },
      optionalString: "",
      timestampValue: { seconds: 1_714_979_289n, nanos: 123_000_000 },
      labels: { k: "v" },
      choice: { case: "choiceNumber" as const, value: 42 },
      id: "custom-json-name",
    };
    const response = await everything().echo(request);
    expect(response.received).toEqual(create(EchoRequestSchema, request));
    expect(typeof response.received?.int64Value).toBe("bigint");
  });

  test("CreateThing with a token: workspace, user, permissions and request id reach the service", async () => {
    const { workspaceId, headers } = await member(["testing:write"]);
    const seen: Headers[] = [];
    const response = await everything().createThing(
      { name: "widget", quantity: 3, labels: ["a"] },
      { headers: { ...headers, "x-request-id": "connect-req-1" }, onHeader: (h) => seen.push(h) },
    );
    expect(response.thing).toMatchObject({ name: "widget", workspaceId, permissions: ["testing:write"], apiTokenId: "", requestId: "connect-req-1" });
    expect(response.thing?.userId).toMatch(/^[0-9a-f]{24}$/);
    expect(seen[0]?.get("x-request-id")).toBe("connect-req-1");
    expect(Number(seen[0]?.get("x-ratelimit-limit"))).toBeGreaterThan(0);
    expect(seen[0]?.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
  });

  test("Idempotency-Key: a repeated call replays the first answer; the same key for another request → Aborted", async () => {
    const { headers } = await member(["testing:write"]);
    const key = `order-${newObjectId()}`;
    const seen: Headers[] = [];
    const first = await everything().createThing({ name: "widget", quantity: 1 }, { headers: { ...headers, "idempotency-key": key, "x-request-id": "first-call" } });
    const again = await everything().createThing(
      { name: "widget", quantity: 1 },
      { headers: { ...headers, "idempotency-key": key, "x-request-id": "second-call" }, onHeader: (h) => seen.push(h) },
    );
    // The service did not run again: the answer still carries the first call's request id.
    expect(again.thing).toEqual(first.thing);
    expect(again.thing?.requestId).toBe("first-call");
    expect(seen[0]?.get("idempotent-replayed")).toBe("true");
    const other = await failureOf(everything().createThing({ name: "gadget", quantity: 1 }, { headers: { ...headers, "idempotency-key": key } }));
    expect(other.code).toBe(Code.Aborted);
  });

  test("no token → Unauthenticated; the wrong permission → PermissionDenied; no workspace → InvalidArgument", async () => {
    const { workspaceId, headers } = await member(["testing:read"]);
    const anonymous = await failureOf(everything().createThing({ name: "widget" }, { headers: { "x-workspace-id": workspaceId } }));
    expect(anonymous.code).toBe(Code.Unauthenticated);
    expect(anonymous.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "UNAUTHENTICATED", domain: "velaflows.com" });
    const reader = await failureOf(everything().createThing({ name: "widget" }, { headers }));
    expect(reader.code).toBe(Code.PermissionDenied);
    expect(reader.rawMessage).toBe('Missing permission "testing:write"');
    const noWorkspace = await failureOf(everything().createThing({ name: "widget" }, { headers: { authorization: headers.authorization } }));
    expect(noWorkspace.code).toBe(Code.InvalidArgument);
    expect(noWorkspace.rawMessage).toBe("The x-workspace-id header is required");
  });

  test("an invalid request → InvalidArgument with BadRequest field violations, checked at the gateway", async () => {
    const { headers } = await member(["testing:write"]);
    const error = await failureOf(everything().createThing({ name: "x", email: "nope", quantity: 11, labels: ["a", "z"] }, { headers }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("Validation failed");
    expect(error.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "VALIDATION_ERROR", domain: "velaflows.com" });
    const violations = error.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => [v.field, v.description]);
    expect(violations).toEqual([
      ["name", "must be at least 2 characters"],
      ["email", "must be a valid email address"],
      ["quantity", "must be at most 10"],
      ["labels[1]", "must be one of: a, b, c"],
    ]);
  });

  test("the service's errors keep their code and details: NotFound with ResourceInfo, BadRequest, ErrorInfo", async () => {
    const notFound = await failureOf(everything().fail({ code: Code.NotFound, message: "Thing not found", resourceId: "t42" }));
    expect(notFound.code).toBe(Code.NotFound);
    expect(notFound.rawMessage).toBe("Thing not found");
    expect(notFound.findDetails(ResourceInfoSchema)[0]).toMatchObject({ resourceType: "Thing", resourceName: "t42" });
    const invalid = await failureOf(everything().fail({ code: Code.InvalidArgument, message: "Name taken", violations: ["name=is taken"] }));
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(invalid.findDetails(BadRequestSchema)[0]?.fieldViolations).toMatchObject([{ field: "name", description: "is taken" }]);
    const conflict = await failureOf(everything().fail({ code: Code.AlreadyExists, message: "Exists" }));
    expect(conflict.code).toBe(Code.AlreadyExists);
    expect(conflict.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "ALREADY_EXISTS" });
    const throttled = await failureOf(everything().fail({ code: Code.ResourceExhausted, message: "Too many failed logins", retryAfterSeconds: 42 }));
    expect(throttled.code).toBe(Code.ResourceExhausted);
    expect(throttled.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(42n);
  });

  test("internal failures → Internal with a generic message, never the service's", async () => {
    for (const request of [{ crash: true }, { code: Code.Internal, message: "database password is hunter2" }, { code: Code.DataLoss, message: "hunter2" }]) {
      const trailers: Headers[] = [];
      const error = await failureOf(everything().fail(request, { onTrailer: (t) => trailers.push(t) }));
      expect([Code.Internal, Code.DataLoss]).toContain(error.code);
      expect(error.rawMessage).toBe("Internal server error");
      const everythingSent = JSON.stringify([error.message, error.details, [...error.metadata], trailers.map((t) => [...t])]);
      expect(everythingSent).not.toContain("hunter2");
      expect(error.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "INTERNAL_ERROR" });
      expect(error.findDetails(ErrorInfoSchema)[0]?.metadata).toEqual({});
    }
  });

  test("a deadline shorter than a Slow call → DeadlineExceeded, and the service's call is cancelled", async () => {
    const before = h.observed.cancelledSlowCalls;
    const error = await failureOf(everything().slow({ delayMs: 5_000 }, { timeoutMs: 300 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    await waitFor(() => h.observed.cancelledSlowCalls > before);
    expect(h.observed.cancelledSlowCalls).toBe(before + 1);
  });

  test("a client that gives up cancels the service's call", async () => {
    const before = h.observed.cancelledSlowCalls;
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const error = await failureOf(everything().slow({ delayMs: 5_000 }, { signal: abort.signal }));
    expect(error.code).toBe(Code.Canceled);
    await waitFor(() => h.observed.cancelledSlowCalls > before);
    expect(h.observed.cancelledSlowCalls).toBe(before + 1);
  });

  test("Tags: CreateTag then ListTags, through the real service and database", async () => {
    const client = createClient(TagsService, transport());
    const { workspaceId, headers } = await member();
    const { tag } = await client.createTag({ name: "Urgent", color: "#ef4444", entityTypes: ["conversation"] }, { headers });
    expect(tag).toMatchObject({ name: "Urgent", color: "#ef4444", entityTypes: ["conversation"], usageCount: 0, workspaceId });
    expect(tag?.id).toMatch(/^[0-9a-f]{24}$/);
    const listed = await client.listTags({ entityType: "conversation", page: 1, limit: 20 }, { headers });
    expect(listed.items).toEqual([tag]);
    expect(listed.pagination).toMatchObject({ page: 1, limit: 20, total: 1, totalPages: 1 });
    const invalid = await failureOf(client.createTag({ name: "Bad", color: "red" }, { headers }));
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(invalid.findDetails(BadRequestSchema)[0]?.fieldViolations).toMatchObject([{ field: "color", description: "must be a hex colour such as #22c55e" }]);
  });
});

test("the auth rate-limit class is shared by every protocol and REST: the third sign-in → ResourceExhausted", async () => {
  const [[, connectJson], , [, grpcWeb], [, grpc]] = TRANSPORTS;
  const headersSeen: Headers[] = [];
  const options: CallOptions = { onHeader: (headers) => headersSeen.push(headers) };
  expect(await createClient(EverythingService, connectJson()).signIn({ email: "a@b.co" }, options)).toMatchObject({ ok: true });
  expect(headersSeen[0]?.get("x-ratelimit-limit")).toBe("2");
  expect(headersSeen[0]?.get("x-ratelimit-remaining")).toBe("1");
  await createClient(EverythingService, grpc()).signIn({ email: "a@b.co" });

  const trailers: Headers[] = [];
  const refused = await failureOf(createClient(EverythingService, grpc()).signIn({ email: "a@b.co" }, { onTrailer: (t) => trailers.push(t) }));
  expect(refused.code).toBe(Code.ResourceExhausted);
  expect(refused.rawMessage).toMatch(/^Rate limit exceeded\. Try again in \d+ seconds\.$/);
  expect(refused.findDetails(ErrorInfoSchema)[0]).toMatchObject({ reason: "TOO_MANY_REQUESTS" });
  const retryDelay = Number(refused.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds);
  expect(retryDelay).toBeGreaterThan(0);
  expect(retryDelay).toBeLessThanOrEqual(900);
  expect(refused.metadata.get("retry-after")).toBe(String(retryDelay));
  expect(refused.metadata.get("x-ratelimit-remaining")).toBe("0");

  expect((await failureOf(createClient(EverythingService, grpcWeb()).signIn({ email: "a@b.co" }))).code).toBe(Code.ResourceExhausted);
  expect((await h.request("/api/v1/testing/sign-in", { method: "POST", json: { email: "a@b.co" } })).status).toBe(429);
  // Other classes are not affected.
  expect(await createClient(EverythingService, grpc()).echo({ stringValue: "still fine" })).toMatchObject({ received: { stringValue: "still fine" } });
});

test("the client's timeout is capped by MAX_UPSTREAM_TIMEOUT_MS; without one, UPSTREAM_TIMEOUT_MS applies", async () => {
  const capped = await startGatewayHarness({ UPSTREAM_TIMEOUT_MS: "300", MAX_UPSTREAM_TIMEOUT_MS: "600" });
  const session = new Http2SessionManager(`http://127.0.0.1:${capped.gateway.grpcPort}`);
  try {
    const client = createClient(EverythingService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${capped.gateway.grpcPort}`, sessionManager: session }));
    for (const [options, expectedMs] of [[{}, 300], [{ timeoutMs: 10_000 }, 600]] as const) {
      const started = Date.now();
      const error = await failureOf(client.slow({ delayMs: 5_000 }, options));
      const elapsed = Date.now() - started;
      expect(error.code).toBe(Code.DeadlineExceeded);
      expect(elapsed).toBeGreaterThanOrEqual(expectedMs - 50);
      expect(elapsed).toBeLessThan(expectedMs + 1_500);
    }
  } finally {
    session.abort();
    await capped.stop();
  }
});

describe("the HTTP/1.1 port", () => {
  test("paths that are not procedures fall through to the rest of the gateway", async () => {
    const unknown = await h.request("/velaflows.testing.v1.EverythingService/NoSuchMethod", { method: "POST", json: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
    expect((await h.request("/api/v1/testing/echo?stringValue=rest")).body).toMatchObject({ success: true, data: { received: { stringValue: "rest" } } });
    expect((await h.request("/healthz")).status).toBe(200);
  });

  test("a plain POST with JSON is a Connect call (curl-friendly), with the Connect error shape", async () => {
    const ok = await h.request("/velaflows.testing.v1.EverythingService/Echo", { method: "POST", json: { int64Value: "9007199254740993" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: { int64Value: "9007199254740993" } });
    const unauthenticated = await h.request("/velaflows.testing.v1.EverythingService/CreateThing", { method: "POST", json: { name: "widget" } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body).toMatchObject({ code: "unauthenticated", message: "Authentication required" });
  });

  test("CORS: browser Connect clients from an allowed origin get a preflight answer and exposed headers", async () => {
    const preflight = await h.request("/velaflows.testing.v1.EverythingService/Echo", {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "POST", "access-control-request-headers": "connect-protocol-version, x-workspace-id" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(preflight.headers.get("access-control-allow-headers")).toEqual(expect.stringContaining("connect-protocol-version"));
    expect(preflight.headers.get("access-control-allow-headers")).toEqual(expect.stringContaining("x-workspace-id"));
    const call = await h.request("/velaflows.testing.v1.EverythingService/Echo", { method: "POST", headers: { origin: "https://app.example.com" }, json: {} });
    expect(call.status).toBe(200);
    expect(call.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(call.headers.get("access-control-expose-headers")).toEqual(expect.stringContaining("x-ratelimit-remaining"));
    const other = await h.request("/velaflows.testing.v1.EverythingService/Echo", { method: "POST", headers: { origin: "https://evil.example.com" }, json: {} });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

interface ProbeSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_CLIENT = 2;

test("tracing: the upstream gRPC call continues the caller's trace, on both ports", async () => {
  const root = join(__dirname, "..", "..", "..");
  const { stdout } = await promisify(execFile)(
    join(root, "node_modules", ".bin", "tsx"),
    ["--tsconfig", join(root, "tsconfig.base.json"), "--conditions=@velaflows/source", join(__dirname, "connect-trace-probe.fixture.ts")],
    { env: { ...process.env, OTEL_SDK_DISABLED: "", OTEL_EXPORTER_OTLP_ENDPOINT: "" }, timeout: 60_000 },
  );
  const { caller, received, spans } = JSON.parse(stdout.trim().split("\n").pop()!) as {
    caller: { traceId: string; spanId: string };
    received: Record<string, string>;
    spans: ProbeSpan[];
  };
  const span = (spanId: string | undefined) => spans.find((s) => s.spanId === spanId);
  // The span of the gateway's call to the service, as the service saw it in `traceparent`.
  const upstreamCall = (requestId: string) => {
    const [, traceId, spanId] = received[requestId]!.split("-");
    expect(traceId).toBe(caller.traceId);
    const found = span(spanId);
    expect(found).toMatchObject({ name: "grpc.velaflows.testing.v1.EverythingService/Echo", kind: SPAN_KIND_CLIENT, traceId: caller.traceId });
    return found!;
  };

  // h2c: nothing but the edge reads the caller's traceparent; the gRPC client span is its child.
  expect(upstreamCall("grpc-h2c").parentSpanId).toBe(caller.spanId);
  // HTTP/1.1: the http instrumentation's server span continues the caller's trace and stays the parent.
  const server = span(upstreamCall("connect-http1").parentSpanId);
  expect(server).toMatchObject({ kind: SPAN_KIND_SERVER, traceId: caller.traceId });
  expect(span(server!.parentSpanId)).toMatchObject({ kind: SPAN_KIND_CLIENT, parentSpanId: caller.spanId });
}, 90_000);
