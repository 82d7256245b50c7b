import { rotateApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function rotateApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["rotateApiToken"] {
  return async (request, context) => {
    const { token, secret } = await rotateApiToken(deps, callerOf(context), request.id);
    return { token: toApiTokenProto(token), secret };
  };
}
