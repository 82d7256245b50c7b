import type { AuthDeps } from "../domain/deps";
import { deleteTeam } from "../domain/teams";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function deleteTeamHandler(deps: AuthDeps): TeamsHandlers["deleteTeam"] {
  return async (request, context) => {
    await deleteTeam(deps, callerOf(context), request.id);
    return {};
  };
}
