import type { MigrationInterface, QueryRunner } from "typeorm";

// Lead count and value sum per stage and currency, kept in the transactions that create, move,
// revalue and delete leads, so the board and unfiltered list totals read a few rows instead of
// aggregating every lead of a pipeline. Filled from the leads already there.
export class CreateStageTotals1764400000300 implements MigrationInterface {
  name = "CreateStageTotals1764400000300";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "crm"."stage_totals" (
        "workspace_id" varchar(24) NOT NULL,
        "pipeline_id" varchar(24) NOT NULL,
        "stage_id" varchar(24) NOT NULL,
        "currency" varchar(3) NOT NULL,
        "lead_count" bigint NOT NULL DEFAULT 0,
        "value_sum" numeric(30, 0) NOT NULL DEFAULT 0,
        PRIMARY KEY ("workspace_id", "stage_id", "currency")
      )`);
    await queryRunner.query(`CREATE INDEX "stage_totals_workspace_pipeline" ON "crm"."stage_totals" ("workspace_id", "pipeline_id")`);
    await queryRunner.query(`
      INSERT INTO "crm"."stage_totals" ("workspace_id", "pipeline_id", "stage_id", "currency", "lead_count", "value_sum")
      SELECT "workspace_id", "pipeline_id", "stage_id", "currency", count(*), sum("value")
        FROM "crm"."leads" GROUP BY "workspace_id", "pipeline_id", "stage_id", "currency"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "crm"."stage_totals"`);
  }
}
