import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Duration buckets in seconds, as the OpenTelemetry semantic conventions recommend. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The Prometheus instruments every service exports, on a registry of its own. */
export interface ServiceMetrics {
  registry: Registry;
  /** `rpc_server_call_duration_seconds{rpc_system_name, rpc_method, rpc_response_status_code, error_type}` */
  rpcServerCallDuration: Histogram<"rpc_system_name" | "rpc_method" | "rpc_response_status_code" | "error_type">;
  /** `rpc_server_active_calls{rpc_method}` */
  rpcServerActiveCalls: Gauge<"rpc_method">;
  /** `rpc_client_call_duration_seconds{rpc_system_name, rpc_method, rpc_response_status_code, server_address}` */
  rpcClientCallDuration: Histogram<"rpc_system_name" | "rpc_method" | "rpc_response_status_code" | "server_address">;
}

/**
 * Creates the service's registry with the RED instruments and prom-client's Node runtime defaults.
 * Each service gets its own registry so several can share one process (the launcher, tests).
 */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    rpcServerCallDuration: new Histogram({
      name: "rpc_server_call_duration_seconds",
      help: "Duration of gRPC server calls, by method and status code.",
      labelNames: ["rpc_system_name", "rpc_method", "rpc_response_status_code", "error_type"],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    rpcServerActiveCalls: new Gauge({
      name: "rpc_server_active_calls",
      help: "gRPC server calls in progress, by method.",
      labelNames: ["rpc_method"],
      registers: [registry],
    }),
    rpcClientCallDuration: new Histogram({
      name: "rpc_client_call_duration_seconds",
      help: "Duration of gRPC client calls, by method, status code and callee.",
      labelNames: ["rpc_system_name", "rpc_method", "rpc_response_status_code", "server_address"],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
  };
}
