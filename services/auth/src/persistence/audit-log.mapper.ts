import type { AuditLog } from "@velaflows/proto/ts/velaflows/auth/v1/audit_logs";
import type { AuditLogEntity } from "./audit-log.entity";

export function toAuditLogProto(entity: AuditLogEntity): AuditLog {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    action: entity.action,
    actorUserId: entity.actorUserId ?? "",
    actorApiTokenId: entity.actorApiTokenId ?? "",
    targetType: entity.targetType,
    targetId: entity.targetId,
    details: entity.details,
    ip: entity.ip,
    userAgent: entity.userAgent,
    requestId: entity.requestId,
    createdAt: entity.createdAt,
  };
}
