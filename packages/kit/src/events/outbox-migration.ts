import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Creates the outbox table in the service's own schema. The kit adds this migration to every
 * service's data source, so no service has to remember it.
 */
export class KitOutbox1764300000000 implements MigrationInterface {
  name = "KitOutbox1764300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${schema}"."outbox_events" (
        "id" varchar(28) PRIMARY KEY,
        "event_type" varchar(200) NOT NULL,
        "workspace_id" varchar(24) NOT NULL,
        "data" jsonb NOT NULL,
        "occurred_at" timestamptz(3) NOT NULL,
        "published_at" timestamptz(3),
        "attempts" integer NOT NULL DEFAULT 0
      )`);
    // The relay reads unpublished events oldest first; published rows are not indexed.
    await queryRunner.query(
      `CREATE INDEX "outbox_events_unpublished" ON "${schema}"."outbox_events" ("occurred_at") WHERE "published_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${schemaOf(queryRunner)}"."outbox_events"`);
  }
}

/** The schema of the data source a migration runs on. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error("The data source has no schema; create it with createDataSource()");
  return schema;
}
