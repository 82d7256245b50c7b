import { fieldsToUpdate } from "@velaflows/kit";
import { UPDATABLE_TOKEN_FIELDS, updateApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function updateApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["updateApiToken"] {
  return async (request, context) => {
    const token = request.token!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_TOKEN_FIELDS, (field) => (field === "scopes" ? token.scopes.length > 0 : token[field] !== ""));
    const updated = await updateApiToken(deps, callerOf(context), request.id, fields, token);
    return { token: toApiTokenProto(updated) };
  };
}
