import type { AuditLogEntity } from "../persistence/audit-log.entity";
import type { AuthUnit } from "../persistence/auth-store";
import type { CallOrigin } from "./origin";

/**
 * The workspace id of records that belong to no workspace: account-level audit entries and the
 * events addressed to the mail service. No workspace has it, so no tenant ever reads them.
 */
export const PLATFORM_WORKSPACE_ID = "000000000000000000000000";

/** What an audit entry is about. */
export type AuditTargetType = "workspace" | "member" | "invitation" | "role" | "team" | "user" | "session";

/** One change to record. `details` must never hold a secret (password, token, hash, key). */
export interface AuditChange {
  action: string;
  targetType: AuditTargetType;
  targetId: string;
  details?: Record<string, unknown>;
}

/**
 * Records changes in the audit log of `workspaceId` through the unit of the transaction that makes
 * them, so an entry exists exactly when its change does.
 */
export async function audit(unit: Pick<AuthUnit, "auditLogs">, workspaceId: string, origin: CallOrigin, ...changes: AuditChange[]): Promise<void> {
  for (const change of changes) {
    const entry: Partial<AuditLogEntity> = {
      action: change.action,
      actorUserId: origin.userId ?? null,
      actorApiTokenId: origin.apiTokenId ?? null,
      targetType: change.targetType,
      targetId: change.targetId,
      details: change.details ?? {},
      ip: origin.ip.slice(0, 64),
      userAgent: origin.userAgent.slice(0, 512),
      requestId: origin.requestId.slice(0, 128),
    };
    await unit.auditLogs.insert(workspaceId, entry);
  }
}
