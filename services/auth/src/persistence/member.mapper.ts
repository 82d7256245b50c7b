import type { Invitation, Member } from "@velaflows/proto/ts/velaflows/auth/v1/members";
import type { InvitationEntity } from "./invitation.entity";
import type { MemberEntity } from "./member.entity";
import type { RoleEntity } from "./role.entity";
import type { UserEntity } from "./user.entity";

export function toMemberProto(view: { member: MemberEntity; user: UserEntity; role: RoleEntity }): Member {
  const { member, user, role } = view;
  return {
    userId: member.userId,
    workspaceId: member.workspaceId,
    email: user.email,
    name: user.name,
    avatarUrl: user.avatarUrl,
    role: role.systemKey ?? "custom",
    roleId: role.id,
    roleName: role.name,
    invitedBy: member.invitedBy ?? "",
    joinedAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

/** "pending", "accepted", "revoked" or "expired" (a pending invitation past its expiry). */
export function invitationStatus(entity: InvitationEntity, now: Date = new Date()): string {
  if (entity.acceptedAt) return "accepted";
  if (entity.revokedAt) return "revoked";
  return entity.expiresAt <= now ? "expired" : "pending";
}

/** The invitation as the API shows it: never its token or the token's hash. */
export function toInvitationProto(entity: InvitationEntity, roleName: string): Invitation {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    email: entity.email,
    roleId: entity.roleId,
    roleName,
    status: invitationStatus(entity),
    invitedBy: entity.invitedBy ?? "",
    expiresAt: entity.expiresAt,
    lastSentAt: entity.lastSentAt,
    sendCount: entity.sendCount,
    acceptedAt: entity.acceptedAt ?? undefined,
    acceptedBy: entity.acceptedBy ?? "",
    revokedAt: entity.revokedAt ?? undefined,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
