import { UnauthenticatedError } from "../../errors/service-error";
import type { Interceptor } from "../interceptor";

/**
 * Refuses calls without `x-workspace-id` unless the method's proto declares `access: "public"`:
 * the workspace is the tenant boundary every handler and repository relies on.
 */
export const workspaceInterceptor: Interceptor = (next) => async (call) => {
  if (call.policy.access !== "public" && !call.context.workspaceId) {
    throw new UnauthenticatedError("x-workspace-id metadata is required");
  }
  return next(call);
};
