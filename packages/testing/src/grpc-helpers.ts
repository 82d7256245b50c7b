import { Metadata, status } from "@grpc/grpc-js";
import { MetadataKeys, newObjectId, ServiceError, type FieldViolation } from "@velaflows/kit";

/** A fresh workspace id: each test owns its data by working in its own workspace. */
export function newWorkspaceId(): string {
  return newObjectId();
}

/** Metadata for a call made in `workspaceId` (by `userId`, when given). */
export function workspaceMetadata(workspaceId: string, userId?: string): Metadata {
  const metadata = new Metadata();
  metadata.set(MetadataKeys.workspaceId, workspaceId);
  if (userId) metadata.set(MetadataKeys.userId, userId);
  return metadata;
}

/** What a failed call told its caller, in a shape tests can compare. */
export interface CallFailure {
  /** The gRPC status name, e.g. "NOT_FOUND". */
  code: string;
  message: string;
  reason: string;
  violations: FieldViolation[];
  resource?: { type: string; id: string };
  /** From RetryInfo, when the service said when to retry. */
  retryAfterSeconds?: number;
}

/** Awaits a call that must fail and returns how; throws if it succeeded. */
export async function expectFailure(call: Promise<unknown>): Promise<CallFailure> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return {
      code: status[error.code],
      message: error.message,
      reason: error.reason,
      violations: [...error.violations],
      resource: error.resource,
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
