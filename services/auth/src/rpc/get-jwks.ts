import type { AuthDeps } from "../domain/deps";
import { toJwkProto } from "../persistence/jwk.mapper";
import type { AuthInternalHandlers } from "./handlers";

export function getJwksHandler(deps: AuthDeps): AuthInternalHandlers["getJwks"] {
  return async () => ({ keys: (await deps.keys.publicKeys()).map(toJwkProto) });
}
