import { revokeApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import { callerOf } from "./caller";
import type { ApiTokensHandlers } from "./handlers";

export function revokeApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["revokeApiToken"] {
  return async (request, context) => ({ token: toApiTokenProto(await revokeApiToken(deps, callerOf(context), request.id)) });
}
