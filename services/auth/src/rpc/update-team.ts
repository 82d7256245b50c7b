import { fieldsToUpdate } from "@velaflows/kit";
import type { AuthDeps } from "../domain/deps";
import { UPDATABLE_TEAM_FIELDS, updateTeam } from "../domain/teams";
import { toTeamProto } from "../persistence/team.mapper";
import { callerOf } from "./call";
import type { TeamsHandlers } from "./handlers";

export function updateTeamHandler(deps: AuthDeps): TeamsHandlers["updateTeam"] {
  return async (request, context) => {
    const team = request.team!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_TEAM_FIELDS, (field) => team[field] !== "");
    const view = await updateTeam(deps, callerOf(context), request.id, fields, team);
    return { team: toTeamProto(view.team, view.memberCount) };
  };
}
