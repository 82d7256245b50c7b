import type { AuthDeps } from "../domain/deps";
import { listTeams } from "../domain/teams";
import { toTeamProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function listTeamsHandler(deps: AuthDeps): TeamsHandlers["listTeams"] {
  return async (request, context) => {
    const page = await listTeams(deps, callerOf(context), request);
    return { items: page.items.map((view) => toTeamProto(view.team, view.memberCount)), pagination: page.pagination };
  };
}
