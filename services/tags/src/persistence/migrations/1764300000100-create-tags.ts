import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateTags1764300000100 implements MigrationInterface {
  name = "CreateTags1764300000100";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tags"."tags" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "name" varchar(100) NOT NULL,
        "name_key" varchar(100) NOT NULL,
        "color" varchar(7) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "entity_types" text[] NOT NULL DEFAULT '{}',
        "usage_count" integer NOT NULL DEFAULT 0,
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "tags_workspace_name_key" ON "tags"."tags" ("workspace_id", "name_key")`);
    await queryRunner.query(`CREATE INDEX "tags_workspace_created" ON "tags"."tags" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "tags_workspace_usage" ON "tags"."tags" ("workspace_id", "usage_count", "id")`);
    await queryRunner.query(`
      CREATE TABLE "tags"."tag_assignments" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "tag_id" varchar(24) NOT NULL REFERENCES "tags"."tags" ("id") ON DELETE CASCADE,
        "entity_type" varchar(32) NOT NULL,
        "entity_id" varchar(64) NOT NULL,
        "attached_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "tag_assignments_tag_entity" ON "tags"."tag_assignments" ("workspace_id", "tag_id", "entity_type", "entity_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "tag_assignments_entity" ON "tags"."tag_assignments" ("workspace_id", "entity_type", "entity_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "tag_assignments_tag_created" ON "tags"."tag_assignments" ("workspace_id", "tag_id", "created_at", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tags"."tag_assignments"`);
    await queryRunner.query(`DROP TABLE "tags"."tags"`);
  }
}
