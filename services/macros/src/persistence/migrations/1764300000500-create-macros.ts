import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateMacros1764300000500 implements MigrationInterface {
  name = "CreateMacros1764300000500";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "macros"."macros" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "name" varchar(100) NOT NULL,
        "short_code" varchar(50) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "body" text NOT NULL DEFAULT '',
        "attachments" jsonb NOT NULL DEFAULT '[]',
        "visibility" varchar(16) NOT NULL,
        "team_id" varchar(24),
        "actions" jsonb NOT NULL DEFAULT '[]',
        "usage_count" integer NOT NULL DEFAULT 0,
        "last_used_at" timestamptz(3),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "macros_workspace_short_code" ON "macros"."macros" ("workspace_id", "short_code")`);
    await queryRunner.query(`CREATE INDEX "macros_workspace_created" ON "macros"."macros" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "macros_workspace_usage" ON "macros"."macros" ("workspace_id", "usage_count", "id")`);
    await queryRunner.query(`CREATE INDEX "macros_workspace_creator" ON "macros"."macros" ("workspace_id", "created_by") WHERE "visibility" = 'personal'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "macros"."macros"`);
  }
}
