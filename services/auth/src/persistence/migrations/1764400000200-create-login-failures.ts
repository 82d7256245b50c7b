import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateLoginFailures1764400000200 implements MigrationInterface {
  name = "CreateLoginFailures1764400000200";

  async up(queryRunner: QueryRunner): Promise<void> {
    // Failed logins per e-mail address, in fixed windows, shared by every replica. Keyed by the
    // SHA-256 of the normalised address so that addresses without an account (typos, attackers'
    // lists) are not kept in clear; an address's row goes when it logs in or its window ends.
    await queryRunner.query(`
      CREATE TABLE "auth"."login_failures" (
        "email_hash" char(64) PRIMARY KEY,
        "attempts" integer NOT NULL,
        "window_started_at" timestamptz(3) NOT NULL,
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "login_failures_window" ON "auth"."login_failures" ("window_started_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "auth"."login_failures"`);
  }
}
