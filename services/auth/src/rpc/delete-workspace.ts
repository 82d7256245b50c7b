import type { AuthDeps } from "../domain/deps";
import { deleteWorkspace } from "../domain/workspaces";
import { callerOf } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function deleteWorkspaceHandler(deps: AuthDeps): WorkspacesHandlers["deleteWorkspace"] {
  return async (request, context) => {
    await deleteWorkspace(deps, callerOf(context), request.id);
    return {};
  };
}
