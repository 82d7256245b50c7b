import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateCustomers1764400000100 implements MigrationInterface {
  name = "CreateCustomers1764400000100";

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`
      CREATE TABLE "customers"."customers" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "first_name" varchar(100) NOT NULL DEFAULT '',
        "last_name" varchar(100) NOT NULL DEFAULT '',
        "name_key" varchar(201) NOT NULL DEFAULT '',
        "emails" jsonb NOT NULL DEFAULT '[]',
        "phones" jsonb NOT NULL DEFAULT '[]',
        "primary_email" varchar(254),
        "primary_phone" varchar(16),
        "identities" jsonb NOT NULL DEFAULT '{}',
        "company" varchar(200) NOT NULL DEFAULT '',
        "language" varchar(35) NOT NULL DEFAULT '',
        "country" varchar(2) NOT NULL DEFAULT '',
        "avatar_url" varchar(2048) NOT NULL DEFAULT '',
        "consent" jsonb NOT NULL DEFAULT '{}',
        "opted_out_channels" text[] NOT NULL DEFAULT '{}',
        "tag_ids" text[] NOT NULL DEFAULT '{}',
        "custom_properties" jsonb NOT NULL DEFAULT '{}',
        "owner_id" varchar(64),
        "source" varchar(50) NOT NULL DEFAULT 'manual',
        "first_contact_at" timestamptz(3),
        "last_contact_at" timestamptz(3),
        "search_document" text NOT NULL DEFAULT '',
        "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "search_document")) STORED,
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "customers_workspace_created" ON "customers"."customers" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "customers_workspace_updated" ON "customers"."customers" ("workspace_id", "updated_at", "id")`);
    await run(`CREATE INDEX "customers_workspace_last_contact" ON "customers"."customers" ("workspace_id", "last_contact_at", "id")`);
    await run(`CREATE INDEX "customers_workspace_first_contact" ON "customers"."customers" ("workspace_id", "first_contact_at", "id")`);
    await run(`CREATE INDEX "customers_workspace_name" ON "customers"."customers" ("workspace_id", "name_key", "id")`);
    await run(`CREATE INDEX "customers_workspace_owner" ON "customers"."customers" ("workspace_id", "owner_id") WHERE "owner_id" IS NOT NULL`);
    // GIN indexes: tag filters (@>, &&), custom property filters (@>) and full-text search (@@).
    await run(`CREATE INDEX "customers_tag_ids" ON "customers"."customers" USING gin ("tag_ids")`);
    await run(`CREATE INDEX "customers_custom_properties" ON "customers"."customers" USING gin ("custom_properties" jsonb_path_ops)`);
    await run(`CREATE INDEX "customers_search" ON "customers"."customers" USING gin ("search_vector")`);

    // Every e-mail, phone and channel identity of every customer: the workspace-wide uniqueness
    // rule and the lookup index in one table.
    await run(`
      CREATE TABLE "customers"."customer_keys" (
        "workspace_id" varchar(24) NOT NULL,
        "kind" varchar(16) NOT NULL,
        "value" varchar(254) NOT NULL,
        "customer_id" varchar(24) NOT NULL REFERENCES "customers"."customers" ("id") ON DELETE CASCADE,
        PRIMARY KEY ("workspace_id", "kind", "value")
      )`);
    await run(`CREATE INDEX "customer_keys_customer" ON "customers"."customer_keys" ("workspace_id", "customer_id")`);

    await run(`
      CREATE TABLE "customers"."notes" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "customer_id" varchar(24) NOT NULL REFERENCES "customers"."customers" ("id") ON DELETE CASCADE,
        "body" text NOT NULL,
        "pinned" boolean NOT NULL DEFAULT false,
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "notes_customer" ON "customers"."notes" ("workspace_id", "customer_id", "pinned", "created_at", "id")`);

    // Not tied to the customer row by a foreign key: entries of consumed events may arrive for a
    // customer this replica has not seen yet, and merge re-points them explicitly.
    await run(`
      CREATE TABLE "customers"."timeline_entries" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "customer_id" varchar(24) NOT NULL,
        "type" varchar(100) NOT NULL,
        "summary" varchar(500) NOT NULL DEFAULT '',
        "data" jsonb NOT NULL DEFAULT '{}',
        "actor_id" varchar(64),
        "occurred_at" timestamptz(3) NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "timeline_customer" ON "customers"."timeline_entries" ("workspace_id", "customer_id", "occurred_at", "id")`);

    await run(`
      CREATE TABLE "customers"."merges" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "target_id" varchar(24) NOT NULL,
        "source_ids" text[] NOT NULL,
        "sources" jsonb NOT NULL,
        "moved_notes" integer NOT NULL DEFAULT 0,
        "merged_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "merges_workspace_created" ON "customers"."merges" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "merges_workspace_target" ON "customers"."merges" ("workspace_id", "target_id", "created_at")`);

    await run(`
      CREATE TABLE "customers"."segments" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "name" varchar(100) NOT NULL,
        "name_key" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "filter" jsonb NOT NULL DEFAULT '{}',
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE UNIQUE INDEX "segments_workspace_name_key" ON "customers"."segments" ("workspace_id", "name_key")`);
    await run(`CREATE INDEX "segments_workspace_created" ON "customers"."segments" ("workspace_id", "created_at", "id")`);

    // Jobs keep their whole state here: a replica that stops mid-job leaves a heartbeat that goes
    // stale, and the next runner (after a restart, or another replica) resumes from the checkpoint.
    await run(`
      CREATE TABLE "customers"."import_jobs" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "status" varchar(16) NOT NULL,
        "match_by" varchar(8) NOT NULL,
        "dry_run" boolean NOT NULL DEFAULT false,
        "mapping" jsonb NOT NULL,
        "content" text NOT NULL,
        "file_name" varchar(255) NOT NULL DEFAULT '',
        "size_bytes" integer NOT NULL,
        "processed_rows" integer NOT NULL DEFAULT 0,
        "created_count" integer NOT NULL DEFAULT 0,
        "updated_count" integer NOT NULL DEFAULT 0,
        "error_count" integer NOT NULL DEFAULT 0,
        "error" varchar(1000) NOT NULL DEFAULT '',
        "attempts" integer NOT NULL DEFAULT 0,
        "heartbeat_at" timestamptz(3),
        "started_at" timestamptz(3),
        "finished_at" timestamptz(3),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "import_jobs_workspace_created" ON "customers"."import_jobs" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "import_jobs_pending" ON "customers"."import_jobs" ("created_at") WHERE "status" IN ('queued', 'running')`);
    await run(`
      CREATE TABLE "customers"."import_errors" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "job_id" varchar(24) NOT NULL REFERENCES "customers"."import_jobs" ("id") ON DELETE CASCADE,
        "row_number" integer NOT NULL,
        "column_name" varchar(200) NOT NULL DEFAULT '',
        "message" varchar(1000) NOT NULL,
        "data" text NOT NULL DEFAULT '',
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "import_errors_job" ON "customers"."import_errors" ("workspace_id", "job_id", "row_number")`);

    await run(`
      CREATE TABLE "customers"."export_jobs" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "status" varchar(16) NOT NULL,
        "segment_id" varchar(24),
        "filter" jsonb NOT NULL DEFAULT '{}',
        "exported_rows" integer NOT NULL DEFAULT 0,
        "total_rows" integer NOT NULL DEFAULT 0,
        "last_id" varchar(24),
        "size_bytes" integer NOT NULL DEFAULT 0,
        "error" varchar(1000) NOT NULL DEFAULT '',
        "attempts" integer NOT NULL DEFAULT 0,
        "heartbeat_at" timestamptz(3),
        "finished_at" timestamptz(3),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await run(`CREATE INDEX "export_jobs_workspace_created" ON "customers"."export_jobs" ("workspace_id", "created_at", "id")`);
    await run(`CREATE INDEX "export_jobs_pending" ON "customers"."export_jobs" ("created_at") WHERE "status" IN ('queued', 'running')`);
    await run(`
      CREATE TABLE "customers"."export_chunks" (
        "workspace_id" varchar(24) NOT NULL,
        "job_id" varchar(24) NOT NULL REFERENCES "customers"."export_jobs" ("id") ON DELETE CASCADE,
        "seq" integer NOT NULL,
        "content" text NOT NULL,
        PRIMARY KEY ("job_id", "seq")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["export_chunks", "export_jobs", "import_errors", "import_jobs", "segments", "merges", "timeline_entries", "notes", "customer_keys", "customers"]) {
      await queryRunner.query(`DROP TABLE "customers"."${table}"`);
    }
  }
}
