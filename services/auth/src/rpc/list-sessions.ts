import type { AuthDeps } from "../domain/deps";
import { listSessions } from "../domain/sessions";
import { toSessionProto } from "../persistence/user.mapper";
import { callOrigin, requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function listSessionsHandler(deps: AuthDeps): AuthHandlers["listSessions"] {
  return async (_request, context) => {
    const sessions = await listSessions(deps, requireUser(context));
    const current = callOrigin(context).sessionId;
    return { items: sessions.map((session) => toSessionProto(session, current)) };
  };
}
