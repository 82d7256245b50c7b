import type { MigrationInterface, QueryRunner } from "typeorm";
import { schemaOf } from "./outbox-migration";

/**
 * Creates the consumer's dedupe table in the service's own schema: one row per (queue, event id)
 * handled, inserted in the handler's transaction. Added to every service's data source by the kit.
 */
export class KitProcessedEvents1764300000001 implements MigrationInterface {
  name = "KitProcessedEvents1764300000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."processed_events" (
        "queue" varchar(200) NOT NULL,
        "event_id" varchar(28) NOT NULL,
        "processed_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "processed_events_pkey" PRIMARY KEY ("queue", "event_id")
      )`);
    await queryRunner.query(`CREATE INDEX "processed_events_processed_at" ON "${schema}"."processed_events" ("processed_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."processed_events"`);
  }
}
