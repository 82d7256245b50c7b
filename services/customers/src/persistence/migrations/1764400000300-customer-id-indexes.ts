import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The foreign keys to customers are checked (and cascaded) by customer id alone, and no index led
 * with it: deleting one customer scanned every key and note of every workspace (seconds at a
 * million customers).
 */
export class CustomerIdIndexes1764400000300 implements MigrationInterface {
  name = "CustomerIdIndexes1764400000300";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "customer_keys_customer_id" ON "customers"."customer_keys" ("customer_id")`);
    await queryRunner.query(`CREATE INDEX "notes_customer_id" ON "customers"."notes" ("customer_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "customers"."customer_keys_customer_id"`);
    await queryRunner.query(`DROP INDEX "customers"."notes_customer_id"`);
  }
}
