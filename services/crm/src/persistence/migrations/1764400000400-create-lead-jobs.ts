import { jobTablesSql } from "@velaflows/kit";
import type { MigrationInterface, QueryRunner } from "typeorm";

// CSV imports and exports of leads as background jobs: the kit's job tables (import_jobs,
// import_errors, export_jobs, export_chunks) with the CRM's own columns.
export class CreateLeadJobs1764400000400 implements MigrationInterface {
  name = "CreateLeadJobs1764400000400";

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = jobTablesSql("crm", {
      importColumns: `"pipeline_id" varchar(24) NOT NULL, "upsert_key" varchar(8) NOT NULL DEFAULT '', "mapping" jsonb NOT NULL,`,
      exportColumns: `"filter" jsonb NOT NULL DEFAULT '{}',`,
    });
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["export_chunks", "export_jobs", "import_errors", "import_jobs"]) await queryRunner.query(`DROP TABLE "crm"."${table}"`);
  }
}
