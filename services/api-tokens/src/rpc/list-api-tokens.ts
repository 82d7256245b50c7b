import { requireWorkspace } from "@velaflows/kit";
import { listApiTokens, type ApiTokensDeps } from "../domain/api-tokens";
import { toApiTokenProto } from "../persistence/api-token.mapper";
import type { TokenStatus } from "../persistence/token-status";
import type { ApiTokensHandlers } from "./handlers";

export function listApiTokensHandler(deps: ApiTokensDeps): ApiTokensHandlers["listApiTokens"] {
  return async (request, context) => {
    const filter = { status: (request.status || undefined) as TokenStatus | undefined, environment: request.environment || undefined };
    const page = await listApiTokens(deps, requireWorkspace(context), filter, request);
    const now = new Date();
    return { items: page.items.map((token) => toApiTokenProto(token, now)), pagination: page.pagination };
  };
}
