import type { MigrationInterface, QueryRunner } from "typeorm";

// An import's upsert finds existing leads by e-mail or phone (`= ANY(...)` per batch); without
// these each batch scanned the workspace's leads. Not partial: the planner cannot prove a
// `<> ''` predicate from a parameter array.
export class IndexLeadContacts1764400000500 implements MigrationInterface {
  name = "IndexLeadContacts1764400000500";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "leads_workspace_email" ON "crm"."leads" ("workspace_id", "email")`);
    await queryRunner.query(`CREATE INDEX "leads_workspace_phone" ON "crm"."leads" ("workspace_id", "phone")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "crm"."leads_workspace_phone"`);
    await queryRunner.query(`DROP INDEX "crm"."leads_workspace_email"`);
  }
}
