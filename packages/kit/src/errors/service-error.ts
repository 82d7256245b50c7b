import { status as GrpcStatus } from "@grpc/grpc-js";

// SQLSTATEs of a write that lost a race: unique_violation, foreign_key_violation,
// serialization_failure, deadlock_detected. Services check uniqueness and references first and
// answer 409/404/422 themselves; these are what a concurrent request changed in between.
const CONCURRENT_WRITE_SQLSTATES: ReadonlySet<string> = new Set(["23505", "23503", "40001", "40P01"]);

// A pg error (`code`), or typeorm's QueryFailedError around one (`driverError.code`).
function isConcurrentWriteFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const driverError = (error as { driverError?: unknown }).driverError ?? error;
  const code = (driverError as { code?: unknown }).code;
  return typeof code === "string" && CONCURRENT_WRITE_SQLSTATES.has(code);
}

/** One violated rule of a request, named by the field's JSON path (`entityTypes[2]`, `entity.entityId`). */
export interface FieldViolation {
  path: string;
  message: string;
}

/** What a {@link ServiceError} carries besides its code and message. */
export interface ServiceErrorOptions {
  /** Our error code, sent as `google.rpc.ErrorInfo.reason` (e.g. "TAG_NAME_TAKEN"). */
  reason?: string;
  /** Field violations, sent as `google.rpc.BadRequest`. */
  violations?: FieldViolation[];
  /** The resource the error is about, sent as `google.rpc.ResourceInfo`. */
  resource?: { type: string; id: string };
  /** Extra string facts, sent as `ErrorInfo.metadata`. Never secrets or personal data. */
  metadata?: Record<string, string>;
  /** When a retry may succeed, in whole seconds: sent as `google.rpc.RetryInfo` (the gateway's `Retry-After`). */
  retryAfterSeconds?: number;
  /** The underlying error: logged, never sent to the caller. */
  cause?: unknown;
}

/**
 * The one error type of the platform. Its code is a gRPC status code and its message is safe to
 * show to the caller; `cause` is only logged. Throw the subclasses below from domain code; anything
 * else that is thrown reaches the caller as INTERNAL with a generic message.
 */
export class ServiceError extends Error {
  override name = "ServiceError";
  readonly code: GrpcStatus;
  readonly reason: string;
  readonly violations: readonly FieldViolation[];
  readonly resource?: { type: string; id: string };
  readonly metadata: Readonly<Record<string, string>>;
  readonly retryAfterSeconds?: number;

  constructor(code: GrpcStatus, message: string, options: ServiceErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.reason = options.reason ?? GrpcStatus[code];
    this.violations = options.violations ?? [];
    this.resource = options.resource;
    this.metadata = options.metadata ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /**
   * Normalises anything thrown into a ServiceError. ServiceErrors pass through; gRPC errors from
   * a downstream call keep their code (an upstream INTERNAL stays internal); a write PostgreSQL
   * refused because it raced another (a unique or foreign key checked just before, a
   * serialization failure, a deadlock) becomes ABORTED, which the client may retry (409);
   * everything else becomes INTERNAL with a generic message and the original as `cause`.
   */
  static from(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    if (isGrpcError(error) && error.code !== GrpcStatus.INTERNAL && error.code !== GrpcStatus.UNKNOWN) {
      return new ServiceError(error.code, error.details || GrpcStatus[error.code], { cause: error });
    }
    if (isConcurrentWriteFailure(error)) {
      return new ServiceError(GrpcStatus.ABORTED, "The request conflicted with a concurrent change; retry it", { reason: "CONCURRENT_CHANGE", cause: error });
    }
    return new ServiceError(GrpcStatus.INTERNAL, "Internal error", { reason: "INTERNAL_ERROR", cause: error });
  }
}

/** The resource does not exist in the caller's workspace (the gateway answers 404 with its id). */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
  constructor(resourceType: string, id: string) {
    super(GrpcStatus.NOT_FOUND, `${resourceType} not found`, {
      reason: "NOT_FOUND",
      resource: { type: resourceType, id },
    });
  }
}

/** The request breaks field rules (the gateway answers 422 with `details.errors`). */
export class ValidationError extends ServiceError {
  override name = "ValidationError";
  constructor(violations: FieldViolation[], message = "Validation failed") {
    super(GrpcStatus.INVALID_ARGUMENT, message, { reason: "VALIDATION_ERROR", violations });
  }
}

/** The request is malformed in a way not tied to one field (the gateway answers 400). */
export class BadRequestError extends ServiceError {
  override name = "BadRequestError";
  constructor(message: string, reason = "BAD_REQUEST") {
    super(GrpcStatus.INVALID_ARGUMENT, message, { reason });
  }
}

/** The resource already exists, e.g. a unique name is taken (the gateway answers 409). */
export class ConflictError extends ServiceError {
  override name = "ConflictError";
  constructor(message: string, reason = "CONFLICT", resource?: { type: string; id: string }) {
    super(GrpcStatus.ALREADY_EXISTS, message, { reason, resource });
  }
}

/** The system is not in the state the operation needs (the gateway answers 409). */
export class FailedPreconditionError extends ServiceError {
  override name = "FailedPreconditionError";
  constructor(message: string, reason = "FAILED_PRECONDITION") {
    super(GrpcStatus.FAILED_PRECONDITION, message, { reason });
  }
}

/** The caller has no identity or workspace (the gateway answers 401). */
export class UnauthenticatedError extends ServiceError {
  override name = "UnauthenticatedError";
  constructor(message = "Authentication required") {
    super(GrpcStatus.UNAUTHENTICATED, message, { reason: "UNAUTHENTICATED" });
  }
}

/** The caller may not do this (the gateway answers 403). */
export class ForbiddenError extends ServiceError {
  override name = "ForbiddenError";
  constructor(message = "Forbidden") {
    super(GrpcStatus.PERMISSION_DENIED, message, { reason: "FORBIDDEN" });
  }
}

/** The caller tried too often; a retry may succeed after `retryAfterSeconds` (the gateway answers 429 with `Retry-After`). */
export class TooManyRequestsError extends ServiceError {
  override name = "TooManyRequestsError";
  constructor(message: string, retryAfterSeconds: number, reason = "TOO_MANY_REQUESTS") {
    super(GrpcStatus.RESOURCE_EXHAUSTED, message, { reason, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }
}

interface GrpcLikeError {
  code: GrpcStatus;
  details: string;
}

function isGrpcError(error: unknown): error is GrpcLikeError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "number" &&
    typeof (error as { details?: unknown }).details === "string" &&
    "metadata" in error
  );
}
