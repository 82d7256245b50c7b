import type { UnaryHandlers } from "@velaflows/kit";
import type { AuditLogsServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/audit_logs";
import type { AuthInternalServiceService, AuthServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import type { InvitationsServiceService, MembersServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/members";
import type { RolesServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/roles";
import type { TeamsServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/teams";
import type { WorkspacesServiceService } from "@velaflows/proto/ts/velaflows/auth/v1/workspaces";

// The handler type of each RPC, keyed by service and method.
export type AuthHandlers = UnaryHandlers<typeof AuthServiceService>;
export type AuthInternalHandlers = UnaryHandlers<typeof AuthInternalServiceService>;
export type WorkspacesHandlers = UnaryHandlers<typeof WorkspacesServiceService>;
export type MembersHandlers = UnaryHandlers<typeof MembersServiceService>;
export type InvitationsHandlers = UnaryHandlers<typeof InvitationsServiceService>;
export type RolesHandlers = UnaryHandlers<typeof RolesServiceService>;
export type TeamsHandlers = UnaryHandlers<typeof TeamsServiceService>;
export type AuditLogsHandlers = UnaryHandlers<typeof AuditLogsServiceService>;
