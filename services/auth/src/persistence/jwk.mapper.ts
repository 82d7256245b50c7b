import type { Jwk } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import type { JWK } from "jose";

/** A public JWK as the API shows it: only public members are copied (never `d`), absent ones left out. */
export function toJwkProto(jwk: JWK): Jwk {
  return { kty: jwk.kty ?? "", crv: jwk.crv, x: jwk.x, y: jwk.y, n: jwk.n, e: jwk.e, kid: jwk.kid ?? "", alg: jwk.alg ?? "", use: jwk.use ?? "" };
}
