import type { AuthDeps } from "../domain/deps";
import { removeMember } from "../domain/members";
import { callerOf } from "./call";
import type { MembersHandlers } from "./handlers";

export function removeMemberHandler(deps: AuthDeps): MembersHandlers["removeMember"] {
  return async (request, context) => {
    await removeMember(deps, callerOf(context), request.userId);
    return {};
  };
}
