import { findMethod, methodPolicy, requireWorkspace, UnauthenticatedError, ValidationError, type CallContext } from "@velaflows/kit";
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

/**
 * AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
 * without one, every field given a non-default value (per `isSet`) is written.
 */
export function fieldsToUpdate<F extends string>(mask: string[] | undefined, updatable: readonly F[], isSet: (field: F) => boolean): F[] {
  if (!mask || mask.length === 0) return updatable.filter(isSet);
  const unknown = mask.filter((path) => !(updatable as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${updatable.join(", ")}` }]);
  }
  return mask as F[];
}
