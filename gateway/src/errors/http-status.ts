import { status as GrpcStatus } from "@grpc/grpc-js";

/** How a gRPC status is answered over HTTP: the status and the envelope's `error.code`. */
export interface HttpErrorMapping {
  status: number;
  code: string;
}

/**
 * The ARCHITECTURE section 4 table. INVALID_ARGUMENT carrying field violations is 422
 * VALIDATION_ERROR; without them it is 400. FAILED_PRECONDITION is 409 here (grpc-gateway uses
 * 400): our services use it for state conflicts, which clients handle like ALREADY_EXISTS.
 */
export function httpErrorFor(code: GrpcStatus, hasViolations: boolean): HttpErrorMapping {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
      return hasViolations ? { status: 422, code: "VALIDATION_ERROR" } : { status: 400, code: "BAD_REQUEST" }; // Unprocessable Content / Bad Request
    case GrpcStatus.OUT_OF_RANGE:
      return { status: 400, code: "BAD_REQUEST" }; // Bad Request
    case GrpcStatus.UNAUTHENTICATED:
      return { status: 401, code: "UNAUTHORIZED" }; // Unauthorized
    case GrpcStatus.PERMISSION_DENIED:
      return { status: 403, code: "FORBIDDEN" }; // Forbidden
    case GrpcStatus.NOT_FOUND:
      return { status: 404, code: "NOT_FOUND" }; // Not Found
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.ABORTED:
    case GrpcStatus.FAILED_PRECONDITION:
      return { status: 409, code: "CONFLICT" }; // Conflict
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return { status: 429, code: "TOO_MANY_REQUESTS" }; // Too Many Requests
    case GrpcStatus.UNIMPLEMENTED:
      return { status: 501, code: "NOT_IMPLEMENTED" }; // Not Implemented
    case GrpcStatus.UNAVAILABLE:
      return { status: 503, code: "SERVICE_UNAVAILABLE" }; // Service Unavailable
    case GrpcStatus.DEADLINE_EXCEEDED:
      return { status: 504, code: "GATEWAY_TIMEOUT" }; // Gateway Timeout
    default:
      return { status: 500, code: "INTERNAL_ERROR" }; // Internal Server Error (CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS, ...)
  }
}
