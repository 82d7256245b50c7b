import { listAuditLogs } from "../domain/audit-logs";
import type { AuthDeps } from "../domain/deps";
import { toAuditLogProto } from "../persistence/audit-log.mapper";
import { callerOf } from "./call";
import type { AuditLogsHandlers } from "./handlers";

export function listAuditLogsHandler(deps: AuthDeps): AuditLogsHandlers["listAuditLogs"] {
  return async (request, context) => {
    const filter = {
      action: request.action || undefined,
      actorUserId: request.actorUserId || undefined,
      targetType: request.targetType || undefined,
      targetId: request.targetId || undefined,
      since: request.since,
      until: request.until,
    };
    const page = await listAuditLogs(deps, callerOf(context), filter, request);
    return { items: page.items.map(toAuditLogProto), pagination: page.pagination };
  };
}
