import type { AuthDeps } from "../domain/deps";
import { refreshSession } from "../domain/sessions";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function refreshTokenHandler(deps: AuthDeps): AuthHandlers["refreshToken"] {
  return async (request, context) => refreshSession(deps, request.refreshToken, callOrigin(context));
}
