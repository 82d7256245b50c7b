import { UnauthenticatedError } from "../../errors/service-error";
import type { Interceptor } from "../interceptor";

/**
 * Refuses calls that lack the identity their method's `access` needs, before any handler runs:
 * `public` needs nothing; `user` (a person acting on their own account, in no workspace) needs
 * `x-user-id`; everything else needs `x-workspace-id`, the tenant boundary every handler and
 * repository relies on. Each refusal is UNAUTHENTICATED.
 */
export const workspaceInterceptor: Interceptor = (next) => async (call) => {
  const { access } = call.policy;
  if (access === "user") {
    if (!call.context.userId) throw new UnauthenticatedError("x-user-id metadata is required");
  } else if (access !== "public" && !call.context.workspaceId) {
    throw new UnauthenticatedError("x-workspace-id metadata is required");
  }
  return next(call);
};
