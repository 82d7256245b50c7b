import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateAuth1764400000100 implements MigrationInterface {
  name = "CreateAuth1764400000100";

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);

    // Accounts and sessions belong to no workspace.
    await run(`
      CREATE TABLE "auth"."users" (
        "id" varchar(24) PRIMARY KEY,
        "email" varchar(254) NOT NULL,
        "name" varchar(100) NOT NULL,
        "password_hash" varchar(255) NOT NULL,
        "password_changed_at" timestamptz(3) NOT NULL,
        "email_verified_at" timestamptz(3),
        "avatar_url" varchar(2048) NOT NULL DEFAULT '',
        "locale" varchar(35) NOT NULL DEFAULT '',
        "timezone" varchar(64) NOT NULL DEFAULT '',
        "last_login_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "users_email_key" ON "auth"."users" ("email")`);

    await run(`
      CREATE TABLE "auth"."sessions" (
        "id" varchar(24) PRIMARY KEY,
        "user_id" varchar(24) NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "last_used_at" timestamptz(3) NOT NULL,
        "expires_at" timestamptz(3) NOT NULL,
        "revoked_at" timestamptz(3),
        "revoked_reason" varchar(32),
        "ip" varchar(64) NOT NULL DEFAULT '',
        "user_agent" varchar(512) NOT NULL DEFAULT '',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "sessions_user" ON "auth"."sessions" ("user_id", "created_at")`);

    await run(`
      CREATE TABLE "auth"."refresh_tokens" (
        "id" varchar(24) PRIMARY KEY,
        "session_id" varchar(24) NOT NULL REFERENCES "auth"."sessions" ("id") ON DELETE CASCADE,
        "secret_hash" varchar(64) NOT NULL,
        "expires_at" timestamptz(3) NOT NULL,
        "used_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "refresh_tokens_session" ON "auth"."refresh_tokens" ("session_id")`);

    await run(`
      CREATE TABLE "auth"."one_time_tokens" (
        "id" varchar(24) PRIMARY KEY,
        "user_id" varchar(24) NOT NULL REFERENCES "auth"."users" ("id") ON DELETE CASCADE,
        "purpose" varchar(32) NOT NULL,
        "secret_hash" varchar(64) NOT NULL,
        "email" varchar(254) NOT NULL,
        "expires_at" timestamptz(3) NOT NULL,
        "used_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "one_time_tokens_user_purpose" ON "auth"."one_time_tokens" ("user_id", "purpose")`);

    await run(`
      CREATE TABLE "auth"."signing_keys" (
        "id" varchar(64) PRIMARY KEY,
        "algorithm" varchar(16) NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_jwk" text NOT NULL,
        "encrypted" boolean NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await run(`
      CREATE TABLE "auth"."workspaces" (
        "id" varchar(24) PRIMARY KEY,
        "name" varchar(100) NOT NULL,
        "owner_id" varchar(24) NOT NULL REFERENCES "auth"."users" ("id"),
        "deleted_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);

    // Tenant-owned tables: workspace_id leads every index that lists.
    await run(`
      CREATE TABLE "auth"."roles" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL REFERENCES "auth"."workspaces" ("id"),
        "system_key" varchar(16),
        "name" varchar(60) NOT NULL,
        "name_key" varchar(60) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "permissions" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "roles_workspace_name_key" ON "auth"."roles" ("workspace_id", "name_key")`);
    await run(`CREATE UNIQUE INDEX "roles_workspace_system_key" ON "auth"."roles" ("workspace_id", "system_key") WHERE "system_key" IS NOT NULL`);

    await run(`
      CREATE TABLE "auth"."members" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL REFERENCES "auth"."workspaces" ("id"),
        "user_id" varchar(24) NOT NULL REFERENCES "auth"."users" ("id"),
        "role_id" varchar(24) NOT NULL REFERENCES "auth"."roles" ("id"),
        "invited_by" varchar(24),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "members_workspace_user" ON "auth"."members" ("workspace_id", "user_id")`);
    await run(`CREATE INDEX "members_workspace_created" ON "auth"."members" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "members_workspace_role" ON "auth"."members" ("workspace_id", "role_id")`);
    // "My workspaces" looks a user up across workspaces: the one index not led by workspace_id.
    await run(`CREATE INDEX "members_user" ON "auth"."members" ("user_id")`);

    await run(`
      CREATE TABLE "auth"."invitations" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL REFERENCES "auth"."workspaces" ("id"),
        "email" varchar(254) NOT NULL,
        "role_id" varchar(24) NOT NULL REFERENCES "auth"."roles" ("id"),
        "secret_hash" varchar(64) NOT NULL,
        "invited_by" varchar(24),
        "expires_at" timestamptz(3) NOT NULL,
        "last_sent_at" timestamptz(3) NOT NULL,
        "send_count" integer NOT NULL DEFAULT 1,
        "accepted_at" timestamptz(3),
        "accepted_by" varchar(24),
        "revoked_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // One open invitation per address and workspace (an expired one is revoked before a new one).
    await run(
      `CREATE UNIQUE INDEX "invitations_workspace_open_email" ON "auth"."invitations" ("workspace_id", "email") WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL`,
    );
    await run(`CREATE INDEX "invitations_workspace_created" ON "auth"."invitations" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "invitations_workspace_role" ON "auth"."invitations" ("workspace_id", "role_id")`);

    await run(`
      CREATE TABLE "auth"."teams" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL REFERENCES "auth"."workspaces" ("id"),
        "name" varchar(100) NOT NULL,
        "name_key" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "teams_workspace_name_key" ON "auth"."teams" ("workspace_id", "name_key")`);
    await run(`CREATE INDEX "teams_workspace_created" ON "auth"."teams" ("workspace_id", "created_at", "id")`);

    await run(`
      CREATE TABLE "auth"."team_members" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "team_id" varchar(24) NOT NULL REFERENCES "auth"."teams" ("id") ON DELETE CASCADE,
        "user_id" varchar(24) NOT NULL,
        "added_by" varchar(24),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "team_members_team_user" ON "auth"."team_members" ("workspace_id", "team_id", "user_id")`);
    await run(`CREATE INDEX "team_members_user" ON "auth"."team_members" ("workspace_id", "user_id")`);

    // Append-only. Account-level entries (no workspace) use the platform id 000000000000000000000000.
    await run(`
      CREATE TABLE "auth"."audit_logs" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "action" varchar(64) NOT NULL,
        "actor_user_id" varchar(24),
        "actor_api_token_id" varchar(64),
        "target_type" varchar(32) NOT NULL,
        "target_id" varchar(64) NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        "ip" varchar(64) NOT NULL DEFAULT '',
        "user_agent" varchar(512) NOT NULL DEFAULT '',
        "request_id" varchar(128) NOT NULL DEFAULT '',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "audit_logs_workspace_created" ON "auth"."audit_logs" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "audit_logs_workspace_target" ON "auth"."audit_logs" ("workspace_id", "target_type", "target_id", "created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "audit_logs",
      "team_members",
      "teams",
      "invitations",
      "members",
      "roles",
      "workspaces",
      "signing_keys",
      "one_time_tokens",
      "refresh_tokens",
      "sessions",
      "users",
    ]) {
      await queryRunner.query(`DROP TABLE "auth"."${table}"`);
    }
  }
}
