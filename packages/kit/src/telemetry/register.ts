// Starts OpenTelemetry before anything else loads, so http, express, grpc-js and pg are patched.
// Load it first: `node --require @velaflows/kit/telemetry/register` (or as the entry file's first
// import). Configured only by the standard variables: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_EXPORTER_OTLP_ENDPOINT (spans are exported only when it is set), OTEL_SDK_DISABLED.
import { startTelemetry } from "./telemetry";

startTelemetry(process.env);
