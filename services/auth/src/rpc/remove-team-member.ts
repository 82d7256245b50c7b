import type { AuthDeps } from "../domain/deps";
import { removeTeamMember } from "../domain/teams";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function removeTeamMemberHandler(deps: AuthDeps): TeamsHandlers["removeTeamMember"] {
  return async (request, context) => ({ removed: await removeTeamMember(deps, callerOf(context), request.id, request.userId) });
}
