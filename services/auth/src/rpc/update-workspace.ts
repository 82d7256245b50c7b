import { fieldsToUpdate } from "@velaflows/kit";
import type { AuthDeps } from "../domain/deps";
import { getWorkspace, renameWorkspace } from "../domain/workspaces";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callerOf } from "./call";
import type { WorkspacesHandlers } from "./handlers";

export function updateWorkspaceHandler(deps: AuthDeps): WorkspacesHandlers["updateWorkspace"] {
  return async (request, context) => {
    const workspace = request.workspace!; // REQUIRED: checked by the validation interceptor
    const caller = callerOf(context);
    const fields = fieldsToUpdate(request.updateMask, ["name"] as const, () => workspace.name !== "");
    const updated = fields.includes("name") ? await renameWorkspace(deps, caller, request.id, workspace.name) : await getWorkspace(deps, caller, request.id);
    return { workspace: toWorkspaceProto(updated) };
  };
}
