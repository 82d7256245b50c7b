import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateCustomProperties1764300000300 implements MigrationInterface {
  name = "CreateCustomProperties1764300000300";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "custom_properties"."property_groups" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "entity_type" varchar(32) NOT NULL,
        "name" varchar(100) NOT NULL,
        "name_key" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "position" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "property_groups_workspace_entity_name" ON "custom_properties"."property_groups" ("workspace_id", "entity_type", "name_key")`,
    );
    await queryRunner.query(
      `CREATE INDEX "property_groups_workspace_entity_position" ON "custom_properties"."property_groups" ("workspace_id", "entity_type", "position", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "custom_properties"."properties" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "entity_type" varchar(32) NOT NULL,
        "key" varchar(64) NOT NULL,
        "key_fold" varchar(64) NOT NULL,
        "label" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "type" varchar(20) NOT NULL,
        "options" jsonb NOT NULL DEFAULT '[]',
        "required" boolean NOT NULL DEFAULT false,
        "validation_regex" varchar(500) NOT NULL DEFAULT '',
        "validation_hint" varchar(200) NOT NULL DEFAULT '',
        "default_value" jsonb,
        "position" integer NOT NULL DEFAULT 0,
        "group_id" varchar(24) REFERENCES "custom_properties"."property_groups" ("id") ON DELETE SET NULL,
        "active" boolean NOT NULL DEFAULT true,
        "relation_entity_type" varchar(32) NOT NULL DEFAULT '',
        "currency_code" varchar(3) NOT NULL DEFAULT '',
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        "deactivated_at" timestamptz(3)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "properties_workspace_entity_key" ON "custom_properties"."properties" ("workspace_id", "entity_type", "key_fold")`,
    );
    await queryRunner.query(
      `CREATE INDEX "properties_workspace_entity_position" ON "custom_properties"."properties" ("workspace_id", "entity_type", "position", "id")`,
    );
    await queryRunner.query(`CREATE INDEX "properties_workspace_created" ON "custom_properties"."properties" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "properties_workspace_group" ON "custom_properties"."properties" ("workspace_id", "group_id") WHERE "group_id" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "custom_properties"."properties"`);
    await queryRunner.query(`DROP TABLE "custom_properties"."property_groups"`);
  }
}
