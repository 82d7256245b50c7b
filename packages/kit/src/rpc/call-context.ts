import { randomUUID } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { UnauthenticatedError } from "../errors/service-error";

/**
 * Metadata keys the gateway (and calling services) set on every call. Services trust them only
 * from inside the cluster: the NetworkPolicy admits only declared callers.
 */
export const MetadataKeys = {
  requestId: "x-request-id",
  workspaceId: "x-workspace-id",
  userId: "x-user-id",
  apiTokenId: "x-api-token-id",
  permissions: "x-permissions",
  teamIds: "x-team-ids",
} as const;

/** What a handler knows about the call besides its request message. */
export interface CallContext {
  /** "/velaflows.tags.v1.TagsService/CreateTag" */
  readonly method: string;
  /** From `x-request-id`, or generated when the caller sent none. */
  readonly requestId: string;
  /** From `x-workspace-id`; present on every call except to `public` and `user` methods. */
  readonly workspaceId?: string;
  /** The acting user, from `x-user-id`, when a user (not a token or the system) acts; always present for `user` methods. */
  readonly userId?: string;
  /** The acting API token, from `x-api-token-id`. */
  readonly apiTokenId?: string;
  /** The caller's permissions in the workspace, from `x-permissions` (comma-separated). */
  readonly permissions: readonly string[];
  /** The teams of the workspace the acting user belongs to, from `x-team-ids` (comma-separated). */
  readonly teamIds: readonly string[];
  /** When the caller stops waiting; undefined when it set no deadline. */
  readonly deadline?: Date;
  /** Aborted when the caller cancels or the deadline passes. */
  readonly signal: AbortSignal;
  /** The service logger bound to this call's request id, method and workspace. */
  readonly logger: Logger;
  /** The raw incoming metadata, for propagation to downstream calls. */
  readonly metadata: Metadata;
}

/** Returns the call's workspace id, or throws UNAUTHENTICATED when the caller sent none. */
export function requireWorkspace(context: CallContext): string {
  if (!context.workspaceId) throw new UnauthenticatedError("x-workspace-id metadata is required");
  return context.workspaceId;
}

/** Reads the platform's metadata keys into a {@link CallContext}. */
export function createCallContext(input: {
  method: string;
  metadata: Metadata;
  deadline?: Date;
  signal: AbortSignal;
  logger: Logger;
}): CallContext {
  const first = (key: string): string | undefined => {
    const value = input.metadata.get(key)[0];
    return typeof value === "string" && value.length > 0 ? value : undefined;
  };
  const requestId = first(MetadataKeys.requestId) ?? randomUUID();
  const workspaceId = first(MetadataKeys.workspaceId);
  return {
    method: input.method,
    requestId,
    workspaceId,
    userId: first(MetadataKeys.userId),
    apiTokenId: first(MetadataKeys.apiTokenId),
    permissions: (first(MetadataKeys.permissions) ?? "").split(",").filter(Boolean),
    teamIds: (first(MetadataKeys.teamIds) ?? "").split(",").filter(Boolean),
    deadline: input.deadline,
    signal: input.signal,
    logger: input.logger.child({ request_id: requestId, rpc_method: input.method, ...(workspaceId ? { workspace_id: workspaceId } : {}) }),
    metadata: input.metadata,
  };
}
