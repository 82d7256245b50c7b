import type { ApiTokenEntity } from "./api-token.entity";

export type TokenStatus = "active" | "revoked" | "expired";

/**
 * A token's status at `now`; `ApiTokenRepository.list` filters by the same rules in SQL. Revoked
 * wins over expired: a revoked token stays revoked whatever its expiry.
 */
export function tokenStatus(token: Pick<ApiTokenEntity, "revokedAt" | "expiresAt">, now: Date): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
