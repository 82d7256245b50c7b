import type { Team, TeamMember } from "@velaflows/proto/ts/velaflows/auth/v1/teams";
import type { TeamMemberEntity } from "./team-member.entity";
import type { TeamEntity } from "./team.entity";
import type { UserEntity } from "./user.entity";

export function toTeamProto(entity: TeamEntity, memberCount: number): Team {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    description: entity.description,
    memberCount,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toTeamMemberProto(entity: TeamMemberEntity, user: UserEntity | undefined): TeamMember {
  return { userId: entity.userId, email: user?.email ?? "", name: user?.name ?? "", addedBy: entity.addedBy ?? "", addedAt: entity.createdAt };
}
