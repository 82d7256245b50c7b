import type { AuthDeps } from "../domain/deps";
import { resendEmailVerification } from "../domain/email-verification";
import { requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function resendEmailVerificationHandler(deps: AuthDeps): AuthHandlers["resendEmailVerification"] {
  return async (_request, context) => {
    await resendEmailVerification(deps, requireUser(context));
    return {};
  };
}
