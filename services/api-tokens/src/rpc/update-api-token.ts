import { ValidationError } from "@velaflows/kit";
import { UPDATABLE_TOKEN_FIELDS, updateApiToken, type ApiTokensDeps, type UpdatableTokenField } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function updateApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["updateApiToken"] {
  return async (request, context) => {
    const token = request.token!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, token);
    const updated = await updateApiToken(deps, callerOf(context), request.id, fields, token);
    return { token: toApiTokenProto(updated) };
  };
}

// AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
// without one, every field given a non-default value is written.
function fieldsToUpdate(mask: string[] | undefined, token: { name: string; scopes: string[] }): UpdatableTokenField[] {
  if (!mask || mask.length === 0) {
    return UPDATABLE_TOKEN_FIELDS.filter((field) => (field === "scopes" ? token.scopes.length > 0 : token[field] !== ""));
  }
  const unknown = mask.filter((path) => !(UPDATABLE_TOKEN_FIELDS as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_TOKEN_FIELDS.join(", ")}` }]);
  }
  return mask as UpdatableTokenField[];
}
