import type { AuthDeps } from "../domain/deps";
import { createWorkspace } from "../domain/workspaces";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callOrigin, requireUser } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function createWorkspaceHandler(deps: AuthDeps): WorkspacesHandlers["createWorkspace"] {
  return async (request, context) => ({
    workspace: toWorkspaceProto(await createWorkspace(deps, requireUser(context), request.name, callOrigin(context))),
  });
}
