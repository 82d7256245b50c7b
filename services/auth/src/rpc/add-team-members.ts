import type { AuthDeps } from "../domain/deps";
import { addTeamMembers } from "../domain/teams";
import { toTeamProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function addTeamMembersHandler(deps: AuthDeps): TeamsHandlers["addTeamMembers"] {
  return async (request, context) => {
    const { team, added } = await addTeamMembers(deps, callerOf(context), request.id, request.userIds);
    return { team: toTeamProto(team.team, team.memberCount), addedCount: added };
  };
}
