// Shared by this service's spec files: the Auth service started through its own main(), clients of
// its eight gRPC services acting as a given user in a given workspace, accounts made through
// Register, and the outbox read directly.
import { randomUUID } from "node:crypto";
import { Metadata } from "@grpc/grpc-js";
import { createServiceClient, MetadataKeys, type RunningService } from "@velaflows/kit";
import * as auditProto from "@velaflows/proto/ts/velaflows/auth/v1/audit_logs";
import * as authProto from "@velaflows/proto/ts/velaflows/auth/v1/auth";
import * as membersProto from "@velaflows/proto/ts/velaflows/auth/v1/members";
import * as rolesProto from "@velaflows/proto/ts/velaflows/auth/v1/roles";
import * as teamsProto from "@velaflows/proto/ts/velaflows/auth/v1/teams";
import * as workspacesProto from "@velaflows/proto/ts/velaflows/auth/v1/workspaces";
import { partialClient, startTestService, type PartialClient } from "@velaflows/testing";
import { Client } from "pg";
import { main } from "./main";

/** Clients of every Auth gRPC service, all sending the same metadata. */
export interface AuthClients {
  auth: PartialClient<authProto.AuthServiceClient>;
  internal: PartialClient<authProto.AuthInternalServiceClient>;
  workspaces: PartialClient<workspacesProto.WorkspacesServiceClient>;
  members: PartialClient<membersProto.MembersServiceClient>;
  invitations: PartialClient<membersProto.InvitationsServiceClient>;
  roles: PartialClient<rolesProto.RolesServiceClient>;
  teams: PartialClient<teamsProto.TeamsServiceClient>;
  auditLogs: PartialClient<auditProto.AuditLogsServiceClient>;
}

/** What the caller's metadata says, as the gateway would set it. */
export interface Identity {
  userId?: string;
  workspaceId?: string;
  permissions?: string[];
  apiTokenId?: string;
  requestId?: string;
  clientIp?: string;
  userAgent?: string;
  sessionId?: string;
}

/** An account made by Register, with clients acting as it in its own workspace. */
export interface Account extends AuthClients {
  email: string;
  password: string;
  name: string;
  userId: string;
  workspaceId: string;
  accessToken: string;
  refreshToken: string;
}

export interface OutboxRow {
  id: string;
  event_type: string;
  workspace_id: string;
  data: Record<string, any>;
}

export interface AuthHarness {
  service: RunningService;
  /** Clients with no identity (public calls). */
  anonymous: AuthClients;
  /** Clients acting as `identity`. */
  as(identity: Identity): AuthClients;
  /** Registers a new account (a fresh e-mail address unless given). */
  register(overrides?: { email?: string; password?: string; name?: string; workspaceName?: string }): Promise<Account>;
  /**
   * Registers a new account and makes it a member of `owner`'s workspace with `role` (a system
   * role key or a role id), through an invitation accepted with the token from the outbox.
   * Returns the account with clients acting in `owner`'s workspace.
   */
  join(owner: Account, role: string): Promise<Account>;
  /** The account `userId` acting in `workspaceId`. */
  actingAs(userId: string, workspaceId: string): AuthClients;
  /** Outbox rows of a workspace (or the platform id), oldest first. */
  outbox(workspaceId: string, eventType?: string): Promise<OutboxRow[]>;
  /** A direct database connection, for checks of what is stored. */
  db: Client;
  stop(): Promise<void>;
}

export const PLATFORM_WORKSPACE_ID = "000000000000000000000000";

/** A unique e-mail address for one test. */
export function freshEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@example.com`;
}

export async function startAuthHarness(env: NodeJS.ProcessEnv = {}): Promise<AuthHarness> {
  const service = await startTestService("auth", main, env);
  const address = service.grpcAddress;
  const made = [
    createServiceClient(authProto.AuthServiceClient, address),
    createServiceClient(authProto.AuthInternalServiceClient, address),
    createServiceClient(workspacesProto.WorkspacesServiceClient, address),
    createServiceClient(membersProto.MembersServiceClient, address),
    createServiceClient(membersProto.InvitationsServiceClient, address),
    createServiceClient(rolesProto.RolesServiceClient, address),
    createServiceClient(teamsProto.TeamsServiceClient, address),
    createServiceClient(auditProto.AuditLogsServiceClient, address),
  ] as const;
  const [auth, internal, workspaces, members, invitations, roles, teams, auditLogs] = made;
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();

  const as = (identity: Identity): AuthClients => {
    const metadata = metadataOf(identity);
    return {
      auth: partialClient(auth.call, authProto.AuthServiceService, authProto, metadata),
      internal: partialClient(internal.call, authProto.AuthInternalServiceService, authProto, metadata),
      workspaces: partialClient(workspaces.call, workspacesProto.WorkspacesServiceService, workspacesProto, metadata),
      members: partialClient(members.call, membersProto.MembersServiceService, membersProto, metadata),
      invitations: partialClient(invitations.call, membersProto.InvitationsServiceService, membersProto, metadata),
      roles: partialClient(roles.call, rolesProto.RolesServiceService, rolesProto, metadata),
      teams: partialClient(teams.call, teamsProto.TeamsServiceService, teamsProto, metadata),
      auditLogs: partialClient(auditLogs.call, auditProto.AuditLogsServiceService, auditProto, metadata),
    };
  };
  const anonymous = as({});

  const harness: AuthHarness = {
    service,
    anonymous,
    as,
    actingAs: (userId, workspaceId) => as({ userId, workspaceId }),
    async register(overrides = {}) {
      const input = { email: freshEmail(), password: "correct horse battery", name: "Ada Lovelace", workspaceName: "", ...overrides };
      const response = await anonymous.auth.register(input);
      const userId = response.user!.id;
      const workspaceId = response.workspace!.id;
      return {
        ...as({ userId, workspaceId }),
        email: response.user!.email,
        password: input.password,
        name: input.name,
        userId,
        workspaceId,
        accessToken: response.accessToken,
        refreshToken: response.refreshToken,
      };
    },
    async join(owner, role) {
      const { items } = await owner.roles.listRoles({});
      const roleId = items.find((r) => r.key === role || r.id === role)!.id;
      const newcomer = await harness.register();
      await owner.invitations.createInvitation({ email: newcomer.email, roleId });
      const token = (await latestMailEvent(harness, "auth.invitation.delivery_requested", newcomer.email)).data.token as string;
      await as({ userId: newcomer.userId }).invitations.acceptInvitation({ token });
      return { ...newcomer, ...as({ userId: newcomer.userId, workspaceId: owner.workspaceId }), workspaceId: owner.workspaceId };
    },
    async outbox(workspaceId, eventType) {
      const { rows } = await db.query<OutboxRow>(
        `SELECT "id", "event_type", "workspace_id", "data" FROM "auth"."outbox_events"
          WHERE "workspace_id" = $1 AND ($2::text IS NULL OR "event_type" = $2) ORDER BY "occurred_at", "id"`,
        [workspaceId, eventType ?? null],
      );
      return rows;
    },
    db,
    async stop() {
      for (const client of made) client.close();
      await db.end();
      await service.stop();
    },
  };
  return harness;
}

/** The newest outbox event of `type` whose data names `email` (token-carrying events are platform-addressed). */
export async function latestMailEvent(harness: AuthHarness, type: string, email: string): Promise<OutboxRow> {
  const rows = (await harness.outbox(PLATFORM_WORKSPACE_ID, type)).filter((row) => row.data.email === email);
  const row = rows[rows.length - 1];
  if (!row) throw new Error(`no ${type} event for ${email}`);
  return row;
}

function metadataOf(identity: Identity): Metadata {
  const metadata = new Metadata();
  const set = (key: string, value: string | undefined) => value !== undefined && metadata.set(key, value);
  set(MetadataKeys.workspaceId, identity.workspaceId);
  set(MetadataKeys.userId, identity.userId);
  set(MetadataKeys.apiTokenId, identity.apiTokenId);
  set(MetadataKeys.requestId, identity.requestId);
  set(MetadataKeys.permissions, identity.permissions?.join(","));
  set("x-client-ip", identity.clientIp);
  set("x-client-user-agent", identity.userAgent);
  set("x-session-id", identity.sessionId);
  return metadata;
}
