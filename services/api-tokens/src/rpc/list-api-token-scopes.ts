import type { ApiTokensDeps } from "../domain/api-tokens";
import type { ApiTokensHandlers } from "./handlers";

export function listApiTokenScopesHandler(deps: ApiTokensDeps): ApiTokensHandlers["listApiTokenScopes"] {
  // The catalog is fixed for the life of the process (it comes from the compiled protos).
  const items = deps.catalog.scopes.map((scope) => ({ ...scope, routes: [...scope.routes] }));
  return async () => ({ items });
}
