import { login } from "../domain/accounts";
import type { AuthDeps } from "../domain/deps";
import { toUserProto } from "../persistence/user.mapper";
import { toUserWorkspaceProto } from "../persistence/workspace.mapper";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function loginHandler(deps: AuthDeps): AuthHandlers["login"] {
  return async (request, context) => {
    const { user, tokens, workspaces } = await login(deps, request.email, request.password, callOrigin(context));
    return { user: toUserProto(user), ...tokens, workspaces: workspaces.map(toUserWorkspaceProto) };
  };
}
