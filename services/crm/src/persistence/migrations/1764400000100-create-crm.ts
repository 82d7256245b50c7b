import type { MigrationInterface, QueryRunner } from "typeorm";

// Every index leads with workspace_id. The board and the stage lists read
// (workspace_id, pipeline_id, stage_id, created_at, id); lists sorted by value read
// (workspace_id, value, id).
export class CreateCrm1764400000100 implements MigrationInterface {
  name = "CreateCrm1764400000100";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "crm"."pipelines" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "name" varchar(100) NOT NULL,
        "is_default" boolean NOT NULL DEFAULT false,
        "archived" boolean NOT NULL DEFAULT false,
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // One default pipeline per workspace: concurrent first uses meet here (INSERT ... ON CONFLICT).
    await queryRunner.query(`CREATE UNIQUE INDEX "pipelines_workspace_default" ON "crm"."pipelines" ("workspace_id") WHERE "is_default"`);
    await queryRunner.query(`CREATE INDEX "pipelines_workspace_created" ON "crm"."pipelines" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "crm"."stages" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "pipeline_id" varchar(24) NOT NULL REFERENCES "crm"."pipelines" ("id") ON DELETE CASCADE,
        "name" varchar(100) NOT NULL,
        "color" varchar(7) NOT NULL,
        "probability" integer NOT NULL DEFAULT 0,
        "position" integer NOT NULL,
        "is_won" boolean NOT NULL DEFAULT false,
        "is_lost" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (NOT ("is_won" AND "is_lost")),
        CHECK ("probability" BETWEEN 0 AND 100)
      )`);
    await queryRunner.query(`CREATE INDEX "stages_workspace_pipeline_position" ON "crm"."stages" ("workspace_id", "pipeline_id", "position")`);
    await queryRunner.query(`
      CREATE TABLE "crm"."leads" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "pipeline_id" varchar(24) NOT NULL REFERENCES "crm"."pipelines" ("id"),
        "stage_id" varchar(24) NOT NULL REFERENCES "crm"."stages" ("id"),
        "status" varchar(8) NOT NULL DEFAULT 'open',
        "first_name" varchar(100) NOT NULL DEFAULT '',
        "last_name" varchar(100) NOT NULL DEFAULT '',
        "email" varchar(254) NOT NULL DEFAULT '',
        "phone" varchar(20) NOT NULL DEFAULT '',
        "company" varchar(200) NOT NULL DEFAULT '',
        "source" varchar(50) NOT NULL DEFAULT '',
        "owner_id" varchar(64),
        "value" bigint NOT NULL DEFAULT 0,
        "currency" varchar(3) NOT NULL DEFAULT 'USD',
        "expected_close_date" date,
        "lost_reason" varchar(500) NOT NULL DEFAULT '',
        "score" integer NOT NULL DEFAULT 0,
        "country" varchar(2) NOT NULL DEFAULT '',
        "tag_ids" varchar(24)[] NOT NULL DEFAULT '{}',
        "custom_properties" jsonb NOT NULL DEFAULT '{}',
        "customer_id" varchar(24),
        "stage_entered_at" timestamptz(3) NOT NULL DEFAULT now(),
        "closed_at" timestamptz(3),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ("status" IN ('open', 'won', 'lost'))
      )`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_created" ON "crm"."leads" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_board" ON "crm"."leads" ("workspace_id", "pipeline_id", "stage_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_value" ON "crm"."leads" ("workspace_id", "value", "id")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_owner" ON "crm"."leads" ("workspace_id", "owner_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_status" ON "crm"."leads" ("workspace_id", "status", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_customer" ON "crm"."leads" ("workspace_id", "customer_id") WHERE "customer_id" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "crm"."stage_changes" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "lead_id" varchar(24) NOT NULL REFERENCES "crm"."leads" ("id") ON DELETE CASCADE,
        "from_pipeline_id" varchar(24),
        "from_stage_id" varchar(24),
        "to_pipeline_id" varchar(24) NOT NULL,
        "to_stage_id" varchar(24) NOT NULL,
        "changed_by" varchar(64),
        "changed_at" timestamptz(3) NOT NULL DEFAULT now(),
        "time_in_stage_ms" bigint NOT NULL DEFAULT 0,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "stage_changes_workspace_lead" ON "crm"."stage_changes" ("workspace_id", "lead_id", "changed_at", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "crm"."stage_changes"`);
    await queryRunner.query(`DROP TABLE "crm"."leads"`);
    await queryRunner.query(`DROP TABLE "crm"."stages"`);
    await queryRunner.query(`DROP TABLE "crm"."pipelines"`);
  }
}
