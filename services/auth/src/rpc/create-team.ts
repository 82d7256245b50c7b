import type { AuthDeps } from "../domain/deps";
import { createTeam } from "../domain/teams";
import { toTeamProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function createTeamHandler(deps: AuthDeps): TeamsHandlers["createTeam"] {
  return async (request, context) => {
    const view = await createTeam(deps, callerOf(context), request);
    return { team: toTeamProto(view.team, view.memberCount) };
  };
}
