// Run as a child process by telemetry.spec.ts: telemetry must start before grpc-js and pg load,
// which jest's module sandbox does not allow. Prints one JSON line with the spans and log lines.
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startTelemetry } from "./telemetry";

const exporter = new InMemorySpanExporter();
startTelemetry({}, { spanProcessors: [new SimpleSpanProcessor(exporter)] });

async function probe(): Promise<void> {
  // Loaded after telemetry on purpose, so the instrumentations patch them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PassThrough } = require("node:stream") as typeof import("node:stream");
  const kit = require("../index") as typeof import("../index");
  const { TagsServiceService, TagsServiceClient, GetTagRequest } = require("@velaflows/proto/ts/velaflows/tags/v1/tags") as typeof import("@velaflows/proto/ts/velaflows/tags/v1/tags");
  const { Metadata } = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const logs: string[] = [];
  const destination = new PassThrough();
  destination.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const logger = kit.createLogger({ service: "probe", level: "debug", destination });
  const manifest = { name: "probe", grpcServices: ["velaflows.tags.v1.TagsService"], basePath: "/tags", databaseSchema: "probe", ports: { grpc: 0, http: 0 }, dependsOn: [], events: { publishes: [], consumes: [] } };
  const dataSource = kit.createDataSource({ url: process.env.DATABASE_URL!, schema: `telemetry_probe_${process.pid}`, entities: [], migrations: [], poolSize: 2 });
  const notImplemented = async () => {
    throw new kit.ServiceError(12, "not implemented");
  };
  const handlers = Object.fromEntries(Object.keys(TagsServiceService).map((key) => [key, notImplemented])) as never as Record<string, unknown>;
  handlers.getTag = async (_request: unknown, context: { logger: typeof logger }) => {
    await dataSource.query("SELECT 1 AS probe");
    context.logger.info("inside the handler");
    throw new kit.NotFoundError("Tag", "0123456789abcdef01234567");
  };
  const service = await kit.startService({
    manifest,
    config: { host: "127.0.0.1", grpcPort: 0, httpPort: 0, databaseUrl: "", databasePoolSize: 2, logLevel: "debug", shutdownDrainMs: 0, shutdownTimeoutMs: 1000, maxCallMs: 5000 },
    logger,
    metrics: kit.createServiceMetrics("probe"),
    dataSource,
    services: [kit.bindService(TagsServiceService, handlers as never)],
  });
  const { call, close } = kit.createServiceClient(TagsServiceClient, service.grpcAddress);
  const metadata = new Metadata();
  metadata.set("x-workspace-id", "0123456789abcdef01234567");
  await call.getTag(GetTagRequest.fromPartial({ id: "0123456789abcdef01234567" }), { metadata }).catch(() => undefined);
  close();
  await dataSource.query(`DROP SCHEMA IF EXISTS "telemetry_probe_${process.pid}" CASCADE`);
  await service.stop();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const spans = exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
  }));
  process.stdout.write(`${JSON.stringify({ spans, logs: logs.map((line) => JSON.parse(line)) })}\n`);
}

probe().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  },
);
