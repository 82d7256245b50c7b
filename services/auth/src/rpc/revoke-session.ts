import type { AuthDeps } from "../domain/deps";
import { revokeSession } from "../domain/sessions";
import { callOrigin, requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function revokeSessionHandler(deps: AuthDeps): AuthHandlers["revokeSession"] {
  return async (request, context) => {
    await revokeSession(deps, requireUser(context), request.id, callOrigin(context));
    return {};
  };
}
