import { changePassword } from "../domain/accounts";
import type { AuthDeps } from "../domain/deps";
import { callOrigin, requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function changePasswordHandler(deps: AuthDeps): AuthHandlers["changePassword"] {
  return async (request, context) => changePassword(deps, requireUser(context), request.currentPassword, request.newPassword, callOrigin(context));
}
