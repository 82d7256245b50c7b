import { fieldsToUpdate } from "@velaflows/kit";
import { UPDATABLE_PROFILE_FIELDS, updateProfile } from "../domain/accounts";
import type { AuthDeps } from "../domain/deps";
import { toUserProto } from "../persistence/user.mapper";
import { callOrigin, requireUser } from "./call";
import type { AuthHandlers } from "./handlers";

export function updateMeHandler(deps: AuthDeps): AuthHandlers["updateMe"] {
  return async (request, context) => {
    const user = request.user!; // REQUIRED: checked by the validation interceptor
    const changes = { name: user.name, avatarUrl: user.avatarUrl, locale: user.locale, timezone: user.timezone };
    const byPath = { name: changes.name, avatar_url: changes.avatarUrl, locale: changes.locale, timezone: changes.timezone };
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_PROFILE_FIELDS, (field) => byPath[field] !== "");
    return { user: toUserProto(await updateProfile(deps, requireUser(context), fields, changes, callOrigin(context))) };
  };
}
