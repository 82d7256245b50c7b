import type { ListParams, Pagination } from "@velaflows/kit";
import type { AuditLogEntity } from "../persistence/audit-log.entity";
import type { AuditLogFilter } from "../persistence/audit-logs.repository";
import { resolveActor, type Caller } from "./actor";
import type { AuthDeps } from "./deps";

export async function listAuditLogs(deps: AuthDeps, caller: Caller, filter: AuditLogFilter, params: ListParams): Promise<{ items: AuditLogEntity[]; pagination: Pagination }> {
  await resolveActor(deps.store.read, caller);
  return deps.store.read.auditLogs.list(caller.workspaceId, filter, params);
}
