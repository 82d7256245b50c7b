import type { AuthDeps } from "../domain/deps";
import { transferOwnership } from "../domain/workspaces";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callerOf } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function transferOwnershipHandler(deps: AuthDeps): WorkspacesHandlers["transferOwnership"] {
  return async (request, context) => ({ workspace: toWorkspaceProto(await transferOwnership(deps, callerOf(context), request.id, request.userId)) });
}
