import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK once per process with the http, express, grpc and pg
 * instrumentations. Without OTEL_EXPORTER_OTLP_ENDPOINT spans are still created (logs carry their
 * trace ids) but not exported. Health checks and metric scrapes are not traced. `spanProcessors`
 * adds processors of the caller's (tests record spans in memory with it).
 */
export function startTelemetry(env: NodeJS.ProcessEnv, options: { spanProcessors?: SpanProcessor[] } = {}): void {
  if (sdk || env.OTEL_SDK_DISABLED === "true") return;
  const spanProcessors: SpanProcessor[] = [
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? [new BatchSpanProcessor(new OTLPTraceExporter())] : []),
    ...(options.spanProcessors ?? []),
  ];
  // Without any processor the SDK registers no tracer provider and spans have no ids; a no-op
  // processor keeps real trace ids (for log lines and propagation) while exporting nothing.
  if (spanProcessors.length === 0) spanProcessors.push(new NoopSpanProcessor());
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? "velaflows",
    spanProcessors,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ""),
      }),
      new ExpressInstrumentation(),
      new GrpcInstrumentation({ ignoreGrpcMethods: ["Check", "Watch", /ServerReflectionInfo/] }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  process.once("beforeExit", () => void shutdownTelemetry());
}

/** Flushes and stops the SDK (called on graceful shutdown). */
export async function shutdownTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
