import type { AuthDeps } from "../domain/deps";
import { listTeamMembers } from "../domain/teams";
import { toTeamMemberProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function listTeamMembersHandler(deps: AuthDeps): TeamsHandlers["listTeamMembers"] {
  return async (request, context) => ({
    items: (await listTeamMembers(deps, callerOf(context), request.id)).map(({ member, user }) => toTeamMemberProto(member, user)),
  });
}
