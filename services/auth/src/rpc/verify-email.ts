import type { AuthDeps } from "../domain/deps";
import { verifyEmail } from "../domain/email-verification";
import { toUserProto } from "../persistence/user.mapper";
import { callOrigin } from "./call";
import type { AuthHandlers } from "./handlers";

export function verifyEmailHandler(deps: AuthDeps): AuthHandlers["verifyEmail"] {
  return async (request, context) => ({ user: toUserProto(await verifyEmail(deps, request.token, callOrigin(context))) });
}
