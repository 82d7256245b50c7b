import { requireWorkspace } from "@velaflows/kit";
import type { AuthDeps } from "../domain/deps";
import { resolveMembership } from "../domain/memberships";
import type { AuthInternalHandlers } from "./handlers";

export function resolveMembershipHandler(deps: AuthDeps): AuthInternalHandlers["resolveMembership"] {
  return async (request, context) => resolveMembership(deps, requireWorkspace(context), request.userId, request.workspaceId);
}
