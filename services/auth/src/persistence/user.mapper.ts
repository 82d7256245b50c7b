import type { Session, User } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import type { SessionEntity } from "./session.entity";
import type { UserEntity } from "./user.entity";

/** The account as the API shows it: never the password hash. */
export function toUserProto(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    name: entity.name,
    emailVerified: entity.emailVerifiedAt !== null,
    avatarUrl: entity.avatarUrl,
    locale: entity.locale,
    timezone: entity.timezone,
    lastLoginAt: entity.lastLoginAt ?? undefined,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toSessionProto(entity: SessionEntity, currentSessionId: string | undefined): Session {
  return {
    id: entity.id,
    createdAt: entity.createdAt,
    lastUsedAt: entity.lastUsedAt,
    expiresAt: entity.expiresAt,
    ip: entity.ip,
    userAgent: entity.userAgent,
    current: entity.id === currentSessionId,
  };
}
