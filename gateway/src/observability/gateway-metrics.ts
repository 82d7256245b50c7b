import { Counter, Gauge, Histogram } from "prom-client";
import { createServiceMetrics, type ServiceMetrics } from "@velaflows/kit";

/** The gateway's Prometheus instruments, on top of the kit's registry and runtime metrics. */
export interface GatewayMetrics extends ServiceMetrics {
  /** `http_server_request_duration_seconds{http_request_method, http_route, http_response_status_code}`; the route is the template. */
  httpServerRequestDuration: Histogram<"http_request_method" | "http_route" | "http_response_status_code">;
  httpServerActiveRequests: Gauge<"http_request_method">;
  /** `gateway_rate_limit_rejections_total{rate_limit_class}` ("ip" for the pre-authentication limit). */
  rateLimitRejections: Counter<"rate_limit_class">;
  /** `gateway_upstream_errors_total{upstream, rpc_response_status_code}`: failed calls to services. */
  upstreamErrors: Counter<"upstream" | "rpc_response_status_code">;
  /** `gateway_transcoding_errors_total{reason}`: requests refused before any call (bad JSON, bad parameters, size, type). */
  transcodingErrors: Counter<"reason">;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export function createGatewayMetrics(): GatewayMetrics {
  const base = createServiceMetrics("gateway");
  const registers = [base.registry];
  return {
    ...base,
    httpServerRequestDuration: new Histogram({
      name: "http_server_request_duration_seconds",
      help: "Duration of HTTP requests served by the gateway, by method, route template and status.",
      labelNames: ["http_request_method", "http_route", "http_response_status_code"],
      buckets: SECONDS,
      registers,
    }),
    httpServerActiveRequests: new Gauge({
      name: "http_server_active_requests",
      help: "HTTP requests in progress.",
      labelNames: ["http_request_method"],
      registers,
    }),
    rateLimitRejections: new Counter({
      name: "gateway_rate_limit_rejections_total",
      help: "Requests answered 429, by rate-limit class.",
      labelNames: ["rate_limit_class"],
      registers,
    }),
    upstreamErrors: new Counter({
      name: "gateway_upstream_errors_total",
      help: "Calls to services that failed, by service and gRPC status.",
      labelNames: ["upstream", "rpc_response_status_code"],
      registers,
    }),
    transcodingErrors: new Counter({
      name: "gateway_transcoding_errors_total",
      help: "Requests refused by the gateway before calling a service, by reason.",
      labelNames: ["reason"],
      registers,
    }),
  };
}
