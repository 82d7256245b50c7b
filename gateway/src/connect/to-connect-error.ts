import { Code, ConnectError } from "@connectrpc/connect";
import { ServiceError } from "@velaflows/kit";
import { BadRequestSchema, ErrorInfoSchema, ResourceInfoSchema, RetryInfoSchema } from "@velaflows/proto/es/google/rpc/error_details_pb";
import { HttpError } from "../errors/http-error";

/** A detail attached to a ConnectError: a message schema and its value. */
export type OutgoingDetail = NonNullable<ConstructorParameters<typeof ConnectError>[3]>[number];

/** The ErrorInfo domain of the platform's errors (the kit's, in `errors/error-status.ts`). */
export const ERROR_DOMAIN = "velaflows.com";

const GENERIC_MESSAGE = "Internal server error";

// Codes that mean something broke on our side: their messages and details never leave the gateway.
const SERVER_FAULTS: ReadonlySet<Code> = new Set([Code.Unknown, Code.Internal, Code.DataLoss]);

/**
 * Renders anything thrown while handling an RPC as the ConnectError the client receives, with the
 * details a gRPC client expects: `google.rpc.ErrorInfo` (our reason) always, `BadRequest` for
 * field violations, `ResourceInfo` for the resource concerned, `RetryInfo` when to retry, as the service sent them. gRPC
 * status codes and Connect codes are the same numbers. An internal error gets a generic message
 * and no details but its reason; `x-request-id` finds the real one in the logs.
 */
export function toConnectError(error: unknown, requestId: string): ConnectError {
  if (error instanceof ConnectError) return error; // raised by connect itself (deadline, protocol) or already rendered
  const metadata = { "x-request-id": requestId };
  if (error instanceof HttpError) {
    const code = codeOfHttpStatus(error.status);
    if (SERVER_FAULTS.has(code)) return new ConnectError(GENERIC_MESSAGE, code, metadata, [errorInfo("INTERNAL_ERROR")], error);
    return new ConnectError(error.message, code, { ...error.headers, ...metadata }, [errorInfo(error.code)], error);
  }
  const serviceError = ServiceError.from(error);
  const code = serviceError.code as number as Code;
  if (SERVER_FAULTS.has(code)) return new ConnectError(GENERIC_MESSAGE, code, metadata, [errorInfo("INTERNAL_ERROR")], error);
  const details = [errorInfo(serviceError.reason, serviceError.metadata)];
  if (serviceError.violations.length > 0) {
    const fieldViolations = serviceError.violations.map((v) => ({ field: v.path, description: v.message }));
    details.push({ desc: BadRequestSchema, value: { fieldViolations } });
  }
  if (serviceError.resource) {
    details.push({ desc: ResourceInfoSchema, value: { resourceType: serviceError.resource.type, resourceName: serviceError.resource.id } });
  }
  if (serviceError.retryAfterSeconds !== undefined) {
    details.push({ desc: RetryInfoSchema, value: { retryDelay: { seconds: BigInt(serviceError.retryAfterSeconds) } } });
  }
  return new ConnectError(serviceError.message, code, metadata, details, error);
}

/** `google.rpc.ErrorInfo` with our domain. */
export function errorInfo(reason: string, metadata: Readonly<Record<string, string>> = {}): OutgoingDetail {
  return { desc: ErrorInfoSchema, value: { reason, domain: ERROR_DOMAIN, metadata: { ...metadata } } };
}

// The reverse of errors/http-status.ts, for an HttpError a gateway step may throw.
function codeOfHttpStatus(status: number): Code {
  switch (status) {
    case 400:
    case 413:
    case 415:
    case 422:
      return Code.InvalidArgument;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.NotFound;
    case 405:
    case 501:
      return Code.Unimplemented;
    case 409:
      return Code.Aborted;
    case 429:
      return Code.ResourceExhausted;
    case 503:
      return Code.Unavailable;
    case 504:
      return Code.DeadlineExceeded;
    default:
      return Code.Internal;
  }
}
