import { createServer as createHttp2Server, constants as h2, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { ServiceError, type RunningService } from "@velaflows/kit";
import { FailRequestSchema, SlowRequestSchema, SlowResponseSchema } from "@velaflows/proto/es/velaflows/testing/v1/everything_pb";
import { startEverythingService, type EverythingObservations } from "../testing/everything-service.fixture";
import { frameMessage } from "./grpc-wire";
import { createUpstreamPool, type UpstreamCall, type UpstreamPool, type UpstreamPoolOptions } from "./upstream-pool";

// The gateway's unary gRPC client over real HTTP/2: against the kit's real service (status
// details, deadlines, cancellation), a bare grpc-js server (metadata, large messages, several
// addresses, a server that goes away and comes back) and a raw node:http2 server for the wire
// cases a grpc-js server does not produce on demand (trailers-only, non-gRPC answers, tiny frames,
// GOAWAY, refused streams).

const FAST_BACKOFF: UpstreamPoolOptions = { reconnectBackoff: { initialMs: 20, maxMs: 100 } };
const pools: UpstreamPool[] = [];

function poolFor(addresses: Record<string, string>, options: UpstreamPoolOptions = FAST_BACKOFF): UpstreamPool {
  const pool = createUpstreamPool((name) => addresses[name], options);
  pools.push(pool);
  return pool;
}

function callOf(upstream: string, path: string, request: Uint8Array, extra: Partial<UpstreamCall> = {}): UpstreamCall {
  return { upstream, path, request, metadata: { "x-request-id": "req-1" }, deadline: new Date(Date.now() + 10_000), ...extra };
}

async function failureOf(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error("the call succeeded");
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

afterAll(() => {
  for (const pool of pools) pool.close();
});

describe("against the kit's service", () => {
  let testing: RunningService;
  let observed: EverythingObservations;
  let pool: UpstreamPool;
  beforeAll(async () => {
    ({ service: testing, observed } = await startEverythingService());
    pool = poolFor({ testing: testing.grpcAddress });
  });
  afterAll(() => testing.stop());

  const FAIL = "/velaflows.testing.v1.EverythingService/Fail";
  const SLOW = "/velaflows.testing.v1.EverythingService/Slow";
  const fail = (fields: Parameters<typeof create<typeof FailRequestSchema>>[1]) =>
    failureOf(pool.call(callOf("testing", FAIL, toBinary(FailRequestSchema, create(FailRequestSchema, fields)))));

  test("a status with typed details arrives as the same ServiceError (code, message, violations, resource, retry)", async () => {
    const notFound = await fail({ code: grpc.status.NOT_FOUND, message: "Thing 50% gone — ✓", resourceId: "t1" });
    expect(notFound).toMatchObject({ code: grpc.status.NOT_FOUND, message: "Thing 50% gone — ✓", resource: { type: "Thing", id: "t1" }, reason: "NOT_FOUND" });
    const invalid = await fail({ code: grpc.status.INVALID_ARGUMENT, message: "Validation failed", violations: ["name=is required", "items[1].qty=too small"] });
    expect(invalid.violations).toEqual([
      { path: "name", message: "is required" },
      { path: "items[1].qty", message: "too small" },
    ]);
    const throttled = await fail({ code: grpc.status.RESOURCE_EXHAUSTED, message: "Slow down", retryAfterSeconds: 42 });
    expect(throttled).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, retryAfterSeconds: 42 });
  });

  test("a service's UNAVAILABLE names the upstream, as the gateway answers 503", async () => {
    expect(await fail({ code: grpc.status.UNAVAILABLE, message: "Down" })).toMatchObject({ code: grpc.status.UNAVAILABLE, message: "The testing service is not available" });
  });

  test("the deadline passes → DEADLINE_EXCEEDED, and the service's call is cancelled", async () => {
    const before = observed.cancelledSlowCalls;
    const request = toBinary(SlowRequestSchema, create(SlowRequestSchema, { delayMs: 5_000 }));
    const error = await failureOf(pool.call(callOf("testing", SLOW, request, { deadline: new Date(Date.now() + 100) })));
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await until(() => observed.cancelledSlowCalls > before, "the service saw the cancellation");
  });

  test("the caller goes away → CANCELLED (RST_STREAM), and the service's call is cancelled", async () => {
    const before = observed.cancelledSlowCalls;
    const gone = new AbortController();
    const request = toBinary(SlowRequestSchema, create(SlowRequestSchema, { delayMs: 5_000 }));
    const pending = failureOf(pool.call(callOf("testing", SLOW, request, { signal: gone.signal })));
    await new Promise((resolve) => setTimeout(resolve, 100));
    gone.abort();
    expect((await pending).code).toBe(grpc.status.CANCELLED);
    await until(() => observed.cancelledSlowCalls > before, "the service saw the cancellation");
    // The connection is still good for the next call.
    const quick = await pool.call(callOf("testing", SLOW, toBinary(SlowRequestSchema, create(SlowRequestSchema, { delayMs: 1 }))));
    expect(fromBinary(SlowResponseSchema, quick).cancelled).toBe(false);
  });

  test("an already aborted signal or a past deadline fails without a call", async () => {
    const gone = new AbortController();
    gone.abort();
    const request = toBinary(SlowRequestSchema, create(SlowRequestSchema, { delayMs: 1 }));
    expect((await failureOf(pool.call(callOf("testing", SLOW, request, { signal: gone.signal })))).code).toBe(grpc.status.CANCELLED);
    expect((await failureOf(pool.call(callOf("testing", SLOW, request, { deadline: new Date(Date.now() - 1) })))).code).toBe(grpc.status.DEADLINE_EXCEEDED);
  });
});

// A bare grpc-js server with raw (Buffer) handlers.
interface BareServer {
  server: grpc.Server;
  port: number;
  stop(): void;
}

type RawHandler = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => void;

async function startBareServer(handlers: Record<string, RawHandler>, address = "127.0.0.1:0"): Promise<BareServer> {
  const server = new grpc.Server();
  for (const [path, handler] of Object.entries(handlers)) {
    server.register<Buffer, Buffer>(path, handler, (message: Buffer) => message, (bytes: Buffer) => bytes, "unary");
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { server, port, stop: () => server.forceShutdown() };
}

const ECHO = "/test.Bare/Echo";
const WHO = "/test.Bare/Who";
const ERROR_AFTER_HEADERS = "/test.Bare/ErrorAfterHeaders";
const ERROR_AT_ONCE = "/test.Bare/ErrorAtOnce";

// Echo answers the request bytes `x-repeat` times over and records the metadata it received; Who
// answers the server's name; the other two fail, after response headers or at once (trailers-only).
function bareHandlers(name: string, seen: { metadata?: grpc.Metadata } = {}): Record<string, RawHandler> {
  return {
    [ECHO]: (call, callback) => {
      seen.metadata = call.metadata;
      const repeat = Number(call.metadata.get("x-repeat")[0] ?? "1");
      callback(null, Buffer.concat(Array.from({ length: repeat }, () => call.request)));
    },
    [WHO]: (_call, callback) => callback(null, Buffer.from(name)),
    [ERROR_AFTER_HEADERS]: (call, callback) => {
      call.sendMetadata(new grpc.Metadata());
      const trailers = new grpc.Metadata();
      trailers.set("x-detail-bin", Buffer.from([0, 1, 2, 255]));
      callback({ code: grpc.status.FAILED_PRECONDITION, details: "not now: 100% sure", metadata: trailers });
    },
    [ERROR_AT_ONCE]: (_call, callback) => callback({ code: grpc.status.PERMISSION_DENIED, details: "nope" }),
  };
}

describe("against a grpc-js server", () => {
  let bare: BareServer;
  const seen: { metadata?: grpc.Metadata } = {};
  let pool: UpstreamPool;
  beforeAll(async () => {
    bare = await startBareServer(bareHandlers("one", seen));
    pool = poolFor({ bare: `127.0.0.1:${bare.port}`, "bare-dns": `dns:///localhost:${bare.port}` });
  });
  afterAll(() => bare.stop());

  test("metadata arrives as set: ASCII values, -bin values of every length (base64 without padding), traceparent absent without a trace", async () => {
    const binaries = [Buffer.from([]), Buffer.from([0]), Buffer.from([0, 255]), Buffer.from([1, 2, 3]), Buffer.from("ünïcødé bytes")];
    for (const value of binaries) {
      const response = await pool.call(
        callOf("bare", ECHO, Buffer.from("hi"), { metadata: { "x-request-id": "r-1", "x-workspace-id": "6612a1b2c3d4e5f6a7b8c9d0", "x-thing-bin": value } }),
      );
      expect(response.toString()).toBe("hi");
      expect(seen.metadata!.get("x-request-id")).toEqual(["r-1"]);
      expect(seen.metadata!.get("x-workspace-id")).toEqual(["6612a1b2c3d4e5f6a7b8c9d0"]);
      expect(seen.metadata!.get("x-thing-bin")).toEqual([value]);
      expect(seen.metadata!.get("traceparent")).toEqual([]);
    }
  });

  test("messages over 16 KiB both ways (split into many HTTP/2 frames) arrive whole", async () => {
    const request = Buffer.alloc(100 * 1024 + 7);
    for (let i = 0; i < request.length; i++) request[i] = (i * 31) % 251;
    const response = await pool.call(callOf("bare", ECHO, request, { metadata: { "x-repeat": "30" } }));
    expect(response.length).toBe(request.length * 30);
    expect(response.subarray(request.length * 29).equals(request)).toBe(true);
  });

  test("a response over the receive limit → RESOURCE_EXHAUSTED", async () => {
    const small = poolFor({ bare: `127.0.0.1:${bare.port}` }, { ...FAST_BACKOFF, maxReceiveMessageBytes: 1024 });
    const error = await failureOf(small.call(callOf("bare", ECHO, Buffer.alloc(600), { metadata: { "x-repeat": "2" } })));
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error.message).toMatch(/larger than max \(1200 vs\. 1024\)/);
  });

  test("an error after response headers (status in trailers) and one at once (trailers-only) keep code, message and metadata", async () => {
    const late = await failureOf(pool.call(callOf("bare", ERROR_AFTER_HEADERS, Buffer.alloc(0))));
    expect(late).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, message: "not now: 100% sure" });
    const cause = late.cause as { metadata: grpc.Metadata };
    expect(cause.metadata.get("x-detail-bin")).toEqual([Buffer.from([0, 1, 2, 255])]);
    expect(await failureOf(pool.call(callOf("bare", ERROR_AT_ONCE, Buffer.alloc(0))))).toMatchObject({ code: grpc.status.PERMISSION_DENIED, message: "nope" });
  });

  test("an unknown method → UNIMPLEMENTED", async () => {
    expect((await failureOf(pool.call(callOf("bare", "/test.Bare/Nothing", Buffer.alloc(0))))).code).toBe(grpc.status.UNIMPLEMENTED);
  });

  test("a dns: target resolves (localhost) and calls succeed", async () => {
    expect((await pool.call(callOf("bare-dns", WHO, Buffer.alloc(0)))).toString()).toBe("one");
  });

  test("an upstream without an address, or with a malformed one, is UNAVAILABLE", async () => {
    const odd = poolFor({ malformed: "dns:///host:notaport" });
    expect(await failureOf(odd.call(callOf("nowhere", WHO, Buffer.alloc(0))))).toMatchObject({ code: grpc.status.UNAVAILABLE, message: "The nowhere service is not available" });
    expect(await failureOf(odd.call(callOf("malformed", WHO, Buffer.alloc(0))))).toMatchObject({ code: grpc.status.UNAVAILABLE, message: "The malformed service is not available" });
  });
});

describe("several addresses", () => {
  test("ipv4: list → calls alternate between the addresses", async () => {
    const one = await startBareServer(bareHandlers("one"));
    const two = await startBareServer(bareHandlers("two"));
    try {
      const pool = poolFor({ pair: `ipv4:127.0.0.1:${one.port},127.0.0.1:${two.port}` });
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) answers.push((await pool.call(callOf("pair", WHO, Buffer.alloc(0)))).toString());
      expect(answers.filter((a) => a === "one")).toHaveLength(3);
      expect(answers.filter((a) => a === "two")).toHaveLength(3);
      expect(answers[0]).not.toBe(answers[1]);
    } finally {
      one.stop();
      two.stop();
    }
  });

  test("a DNS name with two records (a headless Service): round robin, then a pod replaced: its address goes, calls keep succeeding", async () => {
    const one = await startBareServer(bareHandlers("one"), "127.0.0.1:0");
    const two = await startBareServer(bareHandlers("two"), `127.0.0.2:${one.port}`);
    let records = ["127.0.0.1", "127.0.0.2"];
    const lookups: string[] = [];
    const pool = poolFor(
      { tags: `dns:///tags.velaflows.svc.cluster.local:${one.port}` },
      { ...FAST_BACKOFF, minResolveIntervalMs: 0, lookup: async (host) => (lookups.push(host), records) },
    );
    try {
      const answers = new Set<string>();
      for (let i = 0; i < 4; i++) answers.add((await pool.call(callOf("tags", WHO, Buffer.alloc(0)))).toString());
      expect([...answers].sort()).toEqual(["one", "two"]);
      expect(lookups[0]).toBe("tags.velaflows.svc.cluster.local");

      // The first pod goes away and leaves DNS; its connection closing makes the pool look again.
      records = ["127.0.0.2"];
      one.stop();
      await until(async () => (await pool.call(callOf("tags", WHO, Buffer.alloc(0))).catch(() => Buffer.from("failed"))).toString() === "two", "the pool followed DNS");
      for (let i = 0; i < 4; i++) expect((await pool.call(callOf("tags", WHO, Buffer.alloc(0)))).toString()).toBe("two");
      expect(pool.failing()).toEqual([]);
    } finally {
      one.stop();
      two.stop();
    }
  });
});

test("a server that is down → UNAVAILABLE and the upstream failing (readiness); when it comes back, calls succeed again", async () => {
  const first = await startBareServer(bareHandlers("one"));
  const port = first.port;
  const pool = poolFor({ tags: `127.0.0.1:${port}` });
  expect((await pool.call(callOf("tags", WHO, Buffer.alloc(0)))).toString()).toBe("one");
  first.stop();
  await until(async () => (await pool.call(callOf("tags", WHO, Buffer.alloc(0))).catch((error: ServiceError) => error)) instanceof ServiceError, "calls fail");
  const down = await failureOf(pool.call(callOf("tags", WHO, Buffer.alloc(0))));
  expect(down).toMatchObject({ code: grpc.status.UNAVAILABLE, message: "The tags service is not available" });
  await until(() => pool.failing().includes("tags"), "the upstream is reported failing");
  expect(pool.connected()).toEqual(["tags"]);

  const again = await startBareServer(bareHandlers("again"), `127.0.0.1:${port}`);
  try {
    // Reconnection happens in the background too: readiness recovers without traffic.
    await until(() => pool.failing().length === 0, "the upstream is reachable again");
    expect((await pool.call(callOf("tags", WHO, Buffer.alloc(0)))).toString()).toBe("again");
  } finally {
    again.stop();
  }
});

// A raw HTTP/2 server: every stream is answered by `respond`, sessions are counted.
interface RawServer {
  port: number;
  sessions: () => number;
  close(): Promise<void>;
}

async function startRawServer(respond: (stream: ServerHttp2Stream, headers: Record<string, unknown>, session: ServerHttp2Session) => void): Promise<RawServer> {
  const sessions: ServerHttp2Session[] = [];
  const server: Http2Server = createHttp2Server();
  server.on("session", (session) => sessions.push(session));
  server.on("stream", (stream, headers) => {
    stream.on("error", () => {}); // resets the tests make on purpose
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => respond(stream, { ...headers, body: Buffer.concat(chunks) }, stream.session as ServerHttp2Session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    sessions: () => sessions.length,
    close: async () => {
      for (const session of sessions) session.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("wire cases (a raw HTTP/2 server)", () => {
  const servers: RawServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });
  async function raw(respond: Parameters<typeof startRawServer>[0]): Promise<UpstreamPool> {
    const started = await startRawServer(respond);
    servers.push(started);
    return poolFor({ raw: `127.0.0.1:${started.port}` });
  }

  test("the request is POST with the gRPC headers, our metadata, and one length-prefixed message", async () => {
    let received: Record<string, unknown> = {};
    const pool = await raw((stream, headers) => {
      received = headers;
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frameMessage(Buffer.from("ok")));
    });
    const response = await pool.call(callOf("raw", "/pkg.Service/Method", Buffer.from("payload"), { deadline: new Date(Date.now() + 5_000) }));
    expect(response.toString()).toBe("ok");
    expect(received).toMatchObject({ ":method": "POST", ":path": "/pkg.Service/Method", "content-type": "application/grpc", te: "trailers", "x-request-id": "req-1" });
    expect(received["grpc-timeout"]).toMatch(/^\d{1,8}m$/);
    expect(Number(String(received["grpc-timeout"]).slice(0, -1))).toBeLessThanOrEqual(5_000);
    expect((received.body as Buffer).equals(frameMessage(Buffer.from("payload")))).toBe(true);
  });

  test("trailers-only: the status in the response headers, grpc-message percent-decoded, details kept", async () => {
    const pool = await raw((stream) => {
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "grpc-status": "9",
          "grpc-message": "Lead %E2%80%9Cx%E2%80%9D is archived: 100%25",
          "x-extra-bin": Buffer.from([9, 8, 7]).toString("base64"),
        },
        { endStream: true },
      );
    });
    const error = await failureOf(pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0))));
    expect(error).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, message: "Lead “x” is archived: 100%" });
    expect((error.cause as { metadata: grpc.Metadata }).metadata.get("x-extra-bin")).toEqual([Buffer.from([9, 8, 7])]);
  });

  test("a message in one-byte DATA frames is reassembled", async () => {
    const pool = await raw((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      const frame = frameMessage(Buffer.from("piece by piece"));
      let i = 0;
      const next = (): void => {
        if (i === frame.length) stream.end();
        else stream.write(frame.subarray(i, ++i), () => setImmediate(next));
      };
      next();
    });
    expect((await pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0)))).toString()).toBe("piece by piece");
  });

  test.each([
    [503, grpc.status.UNAVAILABLE],
    [404, grpc.status.UNIMPLEMENTED],
    [401, grpc.status.UNAUTHENTICATED],
    [500, grpc.status.UNKNOWN],
  ])("a non-gRPC answer with HTTP %i → code %i", async (httpStatus, code) => {
    const pool = await raw((stream) => {
      stream.respond({ ":status": httpStatus, "content-type": "text/html" });
      stream.end("<h1>proxy error</h1>");
    });
    expect((await failureOf(pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0))))).code).toBe(code);
  });

  test("an OK status without a message → UNIMPLEMENTED (as grpc-js); a stream reset without status → INTERNAL", async () => {
    let calls = 0;
    const pool = await raw((stream) => {
      if (++calls === 1) stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "0" }, { endStream: true });
      else stream.close(h2.NGHTTP2_INTERNAL_ERROR);
    });
    expect((await failureOf(pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0))))).code).toBe(grpc.status.UNIMPLEMENTED);
    expect((await failureOf(pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0))))).code).toBe(grpc.status.INTERNAL);
  });

  test("GOAWAY: the next call opens a new connection", async () => {
    const started = await startRawServer((stream, _headers, session) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => {
        stream.sendTrailers({ "grpc-status": "0" });
        session.goaway(h2.NGHTTP2_NO_ERROR);
      });
      stream.end(frameMessage(Buffer.from("ok")));
    });
    servers.push(started);
    const pool = poolFor({ raw: `127.0.0.1:${started.port}` });
    for (let i = 0; i < 3; i++) expect((await pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0)))).toString()).toBe("ok");
    expect(started.sessions()).toBe(3);
  });

  test("a refused stream (never processed) is sent once more", async () => {
    let calls = 0;
    const pool = await raw((stream) => {
      if (++calls === 1) {
        stream.close(h2.NGHTTP2_REFUSED_STREAM);
        return;
      }
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frameMessage(Buffer.from("second try")));
    });
    expect((await pool.call(callOf("raw", "/pkg.Service/Method", Buffer.alloc(0)))).toString()).toBe("second try");
    expect(calls).toBe(2);
  });
});
