import type { AuthDeps } from "../domain/deps";
import { getWorkspace } from "../domain/workspaces";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callerOf } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function getWorkspaceHandler(deps: AuthDeps): WorkspacesHandlers["getWorkspace"] {
  return async (request, context) => ({ workspace: toWorkspaceProto(await getWorkspace(deps, callerOf(context), request.id)) });
}
