import type { AuthDeps } from "../domain/deps";
import { toJwkProto } from "../persistence/jwk.mapper";
import type { AuthHandlers } from "./handlers";

export function getWellKnownJwksHandler(deps: AuthDeps): AuthHandlers["getWellKnownJwks"] {
  return async () => ({ keys: (await deps.keys.publicKeys()).map(toJwkProto) });
}
