import { getUser } from "../domain/accounts";
import type { AuthDeps } from "../domain/deps";
import { toUserProto } from "../persistence/user.mapper";
import { requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function getMeHandler(deps: AuthDeps): AuthHandlers["getMe"] {
  return async (_request, context) => ({ user: toUserProto(await getUser(deps, requireUser(context))) });
}
