import { Metadata, status as GrpcStatus, type StatusObject } from "@grpc/grpc-js";
import { BadRequest, ErrorInfo, ResourceInfo, RetryInfo } from "@velaflows/proto/ts/google/rpc/error_details";
import { Status } from "@velaflows/proto/ts/google/rpc/status";
import type { Any } from "@velaflows/proto/ts/google/protobuf/any";
import { ServiceError, type FieldViolation } from "./service-error";

/** The metadata key that carries a binary `google.rpc.Status` with typed details (gRFC A16). */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";
const DOMAIN = "velaflows.com";
const TYPE_PREFIX = "type.googleapis.com/";

/**
 * Renders a ServiceError as a grpc-js status whose trailers carry `google.rpc.Status` with
 * ErrorInfo (always), BadRequest (field violations), ResourceInfo (the resource concerned) and
 * RetryInfo (when a retry may succeed later).
 */
export function toGrpcStatus(error: ServiceError): Partial<StatusObject> {
  const details: Any[] = [
    pack("google.rpc.ErrorInfo", ErrorInfo.encode({ reason: error.reason, domain: DOMAIN, metadata: { ...error.metadata } }).finish()),
  ];
  if (error.violations.length > 0) {
    const fieldViolations = error.violations.map((v) => ({
      field: v.path,
      description: v.message,
      reason: "",
      localizedMessage: undefined,
    }));
    details.push(pack("google.rpc.BadRequest", BadRequest.encode({ fieldViolations }).finish()));
  }
  if (error.resource) {
    details.push(
      pack(
        "google.rpc.ResourceInfo",
        ResourceInfo.encode({ resourceType: error.resource.type, resourceName: error.resource.id, owner: "", description: "" }).finish(),
      ),
    );
  }
  if (error.retryAfterSeconds !== undefined) {
    details.push(pack("google.rpc.RetryInfo", RetryInfo.encode({ retryDelay: { seconds: String(error.retryAfterSeconds), nanos: 0 } }).finish()));
  }
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(Status.encode({ code: error.code, message: error.message, details }).finish()));
  return { code: error.code, details: error.message, metadata };
}

/** What {@link readErrorDetails} finds in a failed call's trailers. */
export interface ErrorDetails {
  reason?: string;
  metadata: Record<string, string>;
  violations: FieldViolation[];
  resource?: { type: string; id: string };
  /** From RetryInfo, rounded up to whole seconds. */
  retryAfterSeconds?: number;
}

/** Decodes the typed details of a failed call (for clients, the gateway and tests). */
export function readErrorDetails(metadata: Metadata | undefined): ErrorDetails {
  const result: ErrorDetails = { metadata: {}, violations: [] };
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!Buffer.isBuffer(raw)) return result;
  for (const detail of Status.decode(raw).details) {
    switch (detail.typeUrl) {
      case `${TYPE_PREFIX}google.rpc.ErrorInfo`: {
        const info = ErrorInfo.decode(detail.value);
        result.reason = info.reason;
        result.metadata = info.metadata;
        break;
      }
      case `${TYPE_PREFIX}google.rpc.BadRequest`:
        result.violations = BadRequest.decode(detail.value).fieldViolations.map((v: { field: string; description: string }) => ({ path: v.field, message: v.description }));
        break;
      case `${TYPE_PREFIX}google.rpc.RetryInfo`: {
        const delay = RetryInfo.decode(detail.value).retryDelay;
        if (delay) result.retryAfterSeconds = Math.max(1, Math.ceil(Number(delay.seconds) + delay.nanos / 1e9));
        break;
      }
      case `${TYPE_PREFIX}google.rpc.ResourceInfo`: {
        const info = ResourceInfo.decode(detail.value);
        result.resource = { type: info.resourceType, id: info.resourceName };
        break;
      }
    }
  }
  return result;
}

/** Rebuilds a ServiceError from a failed downstream call, keeping its typed details. */
export function serviceErrorFromGrpc(error: { code: GrpcStatus; details: string; metadata?: Metadata }): ServiceError {
  const details = readErrorDetails(error.metadata);
  return new ServiceError(error.code, error.details, {
    reason: details.reason,
    violations: details.violations,
    resource: details.resource,
    metadata: details.metadata,
    retryAfterSeconds: details.retryAfterSeconds,
    cause: error,
  });
}

function pack(typeName: string, value: Uint8Array): Any {
  return { typeUrl: TYPE_PREFIX + typeName, value: Buffer.from(value) };
}
