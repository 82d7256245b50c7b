import type { Role } from "@velaflows/proto/ts/velaflows/auth/v1/roles";
import type { RoleEntity } from "./role.entity";

/** A role as the API shows it; `permissions` are the role's effective ones (computed for system roles). */
export function toRoleProto(entity: RoleEntity, permissions: readonly string[], memberCount: number): Role {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    key: entity.systemKey ?? "custom",
    system: entity.systemKey !== null,
    name: entity.name,
    description: entity.description,
    permissions: [...permissions],
    memberCount,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
