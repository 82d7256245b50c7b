import type { UserWorkspace, Workspace } from "@velaflows/proto/ts/velaflows/auth/v1/workspaces";
import type { WorkspaceRecordEntity } from "./workspace-record.entity";
import type { UserWorkspaceRow } from "./workspaces.repository";

export function toWorkspaceProto(entity: WorkspaceRecordEntity): Workspace {
  return { id: entity.id, name: entity.name, ownerId: entity.ownerId, createdAt: entity.createdAt, updatedAt: entity.updatedAt };
}

export function toUserWorkspaceProto(row: UserWorkspaceRow): UserWorkspace {
  return {
    id: row.workspace.id,
    name: row.workspace.name,
    role: row.roleSystemKey ?? "custom",
    roleId: row.roleId,
    roleName: row.roleName,
    joinedAt: row.joinedAt,
  };
}
