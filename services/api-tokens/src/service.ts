import { bindService, type ServiceBinding } from "@velaflows/kit";
import { ApiTokensServiceService } from "@velaflows/proto/ts/velaflows/api_tokens/v1/api_tokens";
import type { ApiTokensDeps } from "./domain/api-tokens";
import type { Verifier } from "./domain/verification";
import { createApiTokenHandler } from "./rpc/create-api-token";
import { deleteApiTokenHandler } from "./rpc/delete-api-token";
import { getApiTokenHandler } from "./rpc/get-api-token";
import { listApiTokenScopesHandler } from "./rpc/list-api-token-scopes";
import { listApiTokensHandler } from "./rpc/list-api-tokens";
import { revokeApiTokenHandler } from "./rpc/revoke-api-token";
import { rotateApiTokenHandler } from "./rpc/rotate-api-token";
import { updateApiTokenHandler } from "./rpc/update-api-token";
import { verifyApiTokenHandler } from "./rpc/verify-api-token";

/** The ApiTokensService: one handler per RPC, each given what it works with. */
export function createApiTokensService(deps: ApiTokensDeps, verifier: Verifier): ServiceBinding {
  return bindService(ApiTokensServiceService, {
    createApiToken: createApiTokenHandler(deps),
    listApiTokens: listApiTokensHandler(deps),
    listApiTokenScopes: listApiTokenScopesHandler(deps),
    getApiToken: getApiTokenHandler(deps),
    updateApiToken: updateApiTokenHandler(deps),
    revokeApiToken: revokeApiTokenHandler(deps),
    rotateApiToken: rotateApiTokenHandler(deps),
    deleteApiToken: deleteApiTokenHandler(deps),
    verifyApiToken: verifyApiTokenHandler(verifier),
  });
}
