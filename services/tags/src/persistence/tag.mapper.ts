import type { Tag, TagAssignment } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import type { TagAssignmentEntity } from "./tag-assignment.entity";
import type { TagEntity } from "./tag.entity";

export function toTagProto(entity: TagEntity): Tag {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    color: entity.color,
    description: entity.description,
    entityTypes: entity.entityTypes,
    usageCount: entity.usageCount,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toTagAssignmentProto(entity: TagAssignmentEntity): TagAssignment {
  return {
    tagId: entity.tagId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    attachedBy: entity.attachedBy ?? "",
    attachedAt: entity.createdAt,
  };
}
