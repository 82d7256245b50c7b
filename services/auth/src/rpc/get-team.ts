import type { AuthDeps } from "../domain/deps";
import { getTeam } from "../domain/teams";
import { toTeamProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function getTeamHandler(deps: AuthDeps): TeamsHandlers["getTeam"] {
  return async (request, context) => {
    const view = await getTeam(deps, callerOf(context), request.id);
    return { team: toTeamProto(view.team, view.memberCount) };
  };
}
