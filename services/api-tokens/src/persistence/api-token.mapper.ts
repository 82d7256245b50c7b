import type { ApiToken } from "@velaflows/proto/ts/velaflows/api_tokens/v1/api_tokens";
import type { ApiTokenEntity } from "./api-token.entity";
import { tokenStatus } from "./token-status";

/** The token as the API shows it: everything but its hash (the secret is never stored). */
export function toApiTokenProto(entity: ApiTokenEntity, now: Date = new Date()): ApiToken {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    prefix: entity.prefix,
    scopes: entity.scopes,
    status: tokenStatus(entity, now),
    environment: entity.environment,
    lastUsedAt: entity.lastUsedAt ?? undefined,
    expiresAt: entity.expiresAt ?? undefined,
    revokedAt: entity.revokedAt ?? undefined,
    revokedBy: entity.revokedBy ?? "",
    rotatedAt: entity.rotatedAt ?? undefined,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
