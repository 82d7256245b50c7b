import type { AuthDeps } from "../domain/deps";
import { leaveWorkspace } from "../domain/members";
import { callerOf } from "./call";
import type { MembersHandlers } from "./handlers";

export function leaveWorkspaceHandler(deps: AuthDeps): MembersHandlers["leaveWorkspace"] {
  return async (_request, context) => {
    await leaveWorkspace(deps, callerOf(context));
    return {};
  };
}
