import { requireWorkspace } from "@velaflows/kit";
import { getApiToken, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import type { ApiTokensHandlers } from "./handlers";

export function getApiTokenHandler(deps: ApiTokensDeps): ApiTokensHandlers["getApiToken"] {
  return async (request, context) => ({ token: toApiTokenProto(await getApiToken(deps, requireWorkspace(context), request.id)) });
}
