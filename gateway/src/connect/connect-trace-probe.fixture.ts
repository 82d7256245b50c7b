// Run as a child process by connect-edge.spec.ts: telemetry must start before grpc-js and node:http
// load, which jest's module sandbox does not allow. Calls the gateway's Connect edge on both ports
// from inside a caller span (its `traceparent` sent by the interceptor of toolchain.md section 6)
// and prints one JSON line: the caller span, the spans recorded, and the `traceparent` each
// upstream call arrived with.
import { startTelemetry } from "@velaflows/kit/telemetry";
import { context, propagation, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

// The kit's telemetry sets up the instrumentations, the W3C propagator and the context manager;
// spans are recorded here, in memory.
const exporter = new InMemorySpanExporter();
startTelemetry({}, { spanProcessors: [new SimpleSpanProcessor(exporter)] });

async function probe(): Promise<void> {
  // Loaded after telemetry on purpose, so the instrumentations patch them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const { createClient } = require("@connectrpc/connect") as typeof import("@connectrpc/connect");
  type Interceptor = import("@connectrpc/connect").Interceptor;
  const { createConnectTransport, createGrpcTransport, Http2SessionManager } = require("@connectrpc/connect-node") as typeof import("@connectrpc/connect-node");
  const { EverythingService } = require("@velaflows/proto/es/velaflows/testing/v1/everything_pb") as typeof import("@velaflows/proto/es/velaflows/testing/v1/everything_pb");
  const { main } = require("../main") as typeof import("../main");
  /* eslint-enable @typescript-eslint/no-require-imports */

  // A bare upstream that records the trace context each Echo arrives with (and answers an empty message).
  const received: Record<string, string> = {};
  const upstream = new grpc.Server();
  upstream.register<Buffer, Buffer>(
    "/velaflows.testing.v1.EverythingService/Echo",
    (call: import("@grpc/grpc-js").ServerUnaryCall<Buffer, Buffer>, callback: import("@grpc/grpc-js").sendUnaryData<Buffer>) => {
      received[String(call.metadata.get("x-request-id")[0])] = String(call.metadata.get("traceparent")[0] ?? "");
      callback(null, Buffer.alloc(0));
    },
    (message: Buffer) => message,
    (bytes: Buffer) => bytes,
    "unary",
  );
  const port = await new Promise<number>((resolve, reject) =>
    upstream.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const gateway = await main({ HOST: "127.0.0.1", GATEWAY_PORT: "0", GATEWAY_GRPC_PORT: "0", LOG_LEVEL: "silent", TESTING_ADDR: `127.0.0.1:${port}` });
  const session = new Http2SessionManager(`http://127.0.0.1:${gateway.grpcPort}`);
  // connect-node clients are not instrumented: this is how a caller sends its trace context.
  const otelInject: Interceptor = (next) => async (req) => {
    propagation.inject(context.active(), req.header, { set: (headers, key, value) => headers.set(key, value) });
    return next(req);
  };
  const calls = {
    "connect-http1": createConnectTransport({ baseUrl: gateway.url, httpVersion: "1.1", interceptors: [otelInject] }),
    "grpc-h2c": createGrpcTransport({ baseUrl: `http://127.0.0.1:${gateway.grpcPort}`, sessionManager: session, interceptors: [otelInject] }),
  };
  const caller = await trace.getTracer("probe").startActiveSpan("caller", async (span) => {
    for (const [requestId, transport] of Object.entries(calls)) {
      await createClient(EverythingService, transport).echo({}, { headers: { "x-request-id": requestId } });
    }
    span.end();
    return span.spanContext();
  });
  session.abort();
  await gateway.stop();
  upstream.forceShutdown();
  const spans = exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
  }));
  process.stdout.write(`${JSON.stringify({ caller: { traceId: caller.traceId, spanId: caller.spanId }, received, spans })}\n`);
}

probe().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  },
);
