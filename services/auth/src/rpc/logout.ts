import type { AuthDeps } from "../domain/deps";
import { logout } from "../domain/sessions";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function logoutHandler(deps: AuthDeps): AuthHandlers["logout"] {
  return async (request, context) => {
    await logout(deps, request.refreshToken, callOrigin(context));
    return {};
  };
}
