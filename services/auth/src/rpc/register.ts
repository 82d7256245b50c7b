import { register } from "../domain/accounts";
import type { AuthDeps } from "../domain/deps";
import { toUserProto } from "../persistence/user.mapper";
import { toWorkspaceProto } from "../persistence/workspace.mapper";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function registerHandler(deps: AuthDeps): AuthHandlers["register"] {
  return async (request, context) => {
    const { user, workspace, tokens } = await register(deps, request, callOrigin(context));
    return { user: toUserProto(user), workspace: toWorkspaceProto(workspace), ...tokens };
  };
}
