import type { AuthDeps } from "../domain/deps";
import { resetPassword } from "../domain/password-reset";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function resetPasswordHandler(deps: AuthDeps): AuthHandlers["resetPassword"] {
  return async (request, context) => {
    await resetPassword(deps, request.token, request.newPassword, callOrigin(context));
    return {};
  };
}
