import { findMethod, methodPolicy, requireWorkspace, UnauthenticatedError, type CallContext } from "@velaflows/kit";
import type { Caller } from "../domain/actor";
import type { CallOrigin } from "../domain/origin";

/**
 * Metadata the gateway adds for the Auth service's records, besides the kit's keys:
 * `x-client-ip` (the client address it saw), `x-client-user-agent` (the client's User-Agent) and
 * `x-session-id` (the `sid` claim of the calling access token). All optional.
 */
export const AuthMetadataKeys = {
  clientIp: "x-client-ip",
  clientUserAgent: "x-client-user-agent",
  sessionId: "x-session-id",
} as const;

/** Who made the call and from where, for audit entries and session records. */
export function callOrigin(context: CallContext): CallOrigin {
  const first = (key: string): string | undefined => {
    const value = context.metadata.get(key)[0];
    return typeof value === "string" && value.length > 0 ? value : undefined;
  };
  return {
    userId: context.userId,
    apiTokenId: context.apiTokenId,
    sessionId: first(AuthMetadataKeys.sessionId),
    requestId: context.requestId,
    ip: first(AuthMetadataKeys.clientIp) ?? "",
    userAgent: first(AuthMetadataKeys.clientUserAgent) ?? "",
  };
}

/** A workspace-scoped call, with the `access` its method declares in the proto. */
export function callerOf(context: CallContext): Caller {
  return {
    workspaceId: requireWorkspace(context),
    userId: context.userId,
    access: methodPolicy(findMethod(context.method)).access,
    gatewayPermissions: context.permissions,
    origin: callOrigin(context),
  };
}

/** The acting user of a self-service call; UNAUTHENTICATED without one. */
export function requireUser(context: CallContext): string {
  if (!context.userId) throw new UnauthenticatedError("x-user-id metadata is required");
  return context.userId;
}
