import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError } from "../../errors/service-error";
import type { ServiceMetrics } from "../../metrics/service-metrics";
import type { Interceptor } from "../interceptor";

// Codes that count as server errors for RED (OpenTelemetry RPC conventions); the rest are the
// caller's fault and are neither alerted on nor logged as errors.
const SERVER_ERROR_CODES = new Set([
  GrpcStatus.UNKNOWN,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.UNIMPLEMENTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

/**
 * Times every call into `rpc_server_call_duration_seconds`, tracks in-flight calls, and logs each
 * call once when it ends: server errors at `error` with their cause, caller errors at `info`,
 * successes at `debug`. Errors leave this interceptor as {@link ServiceError}s.
 */
export function observeInterceptor(metrics: ServiceMetrics): Interceptor {
  return (next) => async (call) => {
    const rpcMethod = call.context.method.slice(1);
    const started = process.hrtime.bigint();
    metrics.rpcServerActiveCalls.inc({ rpc_method: rpcMethod });
    let code = GrpcStatus.OK;
    try {
      const response = await next(call);
      call.context.logger.debug({ duration_ms: elapsedMs(started) }, "call succeeded");
      return response;
    } catch (thrown) {
      const error = ServiceError.from(thrown);
      code = error.code;
      const fields = { duration_ms: elapsedMs(started), code: GrpcStatus[code], reason: error.reason };
      if (SERVER_ERROR_CODES.has(code)) call.context.logger.error({ ...fields, err: error.cause ?? error }, error.message);
      else call.context.logger.info(fields, error.message);
      throw error;
    } finally {
      metrics.rpcServerActiveCalls.dec({ rpc_method: rpcMethod });
      metrics.rpcServerCallDuration.observe(
        {
          rpc_system_name: "grpc",
          rpc_method: rpcMethod,
          rpc_response_status_code: GrpcStatus[code],
          error_type: SERVER_ERROR_CODES.has(code) ? GrpcStatus[code] : "",
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  };
}

function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
}
