import type { AuthDeps } from "../domain/deps";
import { listMyWorkspaces } from "../domain/workspaces";
import { toUserWorkspaceProto } from "../persistence/workspace.mapper";
import { requireUser } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function listMyWorkspacesHandler(deps: AuthDeps): WorkspacesHandlers["listMyWorkspaces"] {
  return async (_request, context) => ({ items: (await listMyWorkspaces(deps, requireUser(context))).map(toUserWorkspaceProto) });
}
