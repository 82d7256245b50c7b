import type { Verifier } from "../domain/verification";
import type { ApiTokensHandlers } from "./handlers";

export function verifyApiTokenHandler(verifier: Verifier): ApiTokensHandlers["verifyApiToken"] {
  return async (request, context) => {
    const verified = await verifier.verify(request.token, context.logger);
    if (!verified) return { valid: false, tokenId: "", workspaceId: "", scopes: [], createdBy: "", environment: "" };
    return { valid: true, ...verified, expiresAt: verified.expiresAt ?? undefined };
  };
}
