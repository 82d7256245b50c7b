import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateApiTokens1764300000200 implements MigrationInterface {
  name = "CreateApiTokens1764300000200";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_tokens"."api_tokens" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "name" varchar(100) NOT NULL,
        "prefix" varchar(16) NOT NULL,
        "token_hash" varchar(64) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "environment" varchar(4) NOT NULL CHECK ("environment" IN ('live', 'test')),
        "expires_at" timestamptz(3),
        "last_used_at" timestamptz(3),
        "revoked_at" timestamptz(3),
        "revoked_by" varchar(64),
        "rotated_at" timestamptz(3),
        "created_by" varchar(64) NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // Verification looks a presented token up by its hash, before any workspace is known.
    await queryRunner.query(`CREATE UNIQUE INDEX "api_tokens_token_hash" ON "api_tokens"."api_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "api_tokens_workspace_created" ON "api_tokens"."api_tokens" ("workspace_id", "created_at", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_tokens"."api_tokens"`);
  }
}
