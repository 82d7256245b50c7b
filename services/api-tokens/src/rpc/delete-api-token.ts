import { deleteApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function deleteApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["deleteApiToken"] {
  return async (request, context) => {
    await deleteApiToken(deps, callerOf(context), request.id);
    return {};
  };
}
