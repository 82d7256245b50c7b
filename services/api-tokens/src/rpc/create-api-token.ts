import { createApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function createApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["createApiToken"] {
  return async (request, context) => {
    const { token, secret } = await createApiToken(deps, callerOf(context), request);
    return { token: toApiTokenProto(token), secret };
  };
}
