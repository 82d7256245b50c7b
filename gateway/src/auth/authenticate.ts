import { UnauthenticatedError } from "@velaflows/kit";
import type { Authenticator, Principal } from "../pipeline/principal";

// RFC 6750 section 2.1: `Bearer 1*SP b64token`, with the scheme case-insensitive (RFC 9110 11.1).
const BEARER = /^(\S+)[ \t]+(\S+)[ \t]*$/;
const B64_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Establishes who is calling from the `Authorization` header.
 *
 * - No header: undefined (an anonymous request; authorization decides whether that is enough).
 * - `Bearer <credential>` (scheme in any case, exactly one credential): each authenticator is asked
 *   in order; the first that recognises the credential decides, and its UnauthenticatedError
 *   (invalid, expired, revoked) is final: a bad JWT is never retried as an API token.
 * - Any other shape, another scheme, or a credential no authenticator recognises:
 *   UnauthenticatedError (401).
 */
export async function authenticateRequest(
  authorizationHeader: string | undefined,
  authenticators: readonly Authenticator[],
): Promise<Principal | undefined> {
  if (authorizationHeader === undefined) return undefined;
  const match = BEARER.exec(authorizationHeader.trim());
  if (!match) throw new UnauthenticatedError('Authorization header must be "Bearer <token>"');
  const [, scheme, credential] = match as unknown as [string, string, string];
  if (scheme.toLowerCase() !== "bearer") throw new UnauthenticatedError("Unsupported authorization scheme: use Bearer");
  if (!B64_TOKEN.test(credential)) throw new UnauthenticatedError("Malformed bearer token");
  for (const authenticator of authenticators) {
    const principal = await authenticator.authenticate(credential);
    if (principal) return principal;
  }
  throw new UnauthenticatedError("Unrecognised bearer token");
}
