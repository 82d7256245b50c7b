import type { AuthDeps } from "../domain/deps";
import { forgotPassword } from "../domain/password-reset";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function forgotPasswordHandler(deps: AuthDeps): AuthHandlers["forgotPassword"] {
  return async (request, context) => {
    await forgotPassword(deps, request.email, callOrigin(context));
    return {};
  };
}
