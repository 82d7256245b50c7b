import type { MigrationInterface, QueryRunner } from "typeorm";

// The schema is the data source's (INTEGRATIONS_DATABASE_SCHEMA in tests), so it is read here
// rather than written into the statements.
export class CreateWebhooks1764300000300 implements MigrationInterface {
  name = "CreateWebhooks1764300000300";

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE "${s}"."webhook_subscriptions" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "url" varchar(2048) NOT NULL,
        "events" text[] NOT NULL,
        "secret" varchar(200) NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "source" varchar(16) NOT NULL DEFAULT 'api',
        "deactivated_reason" varchar(16),
        "failing_since" timestamptz(3),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "webhook_subscriptions_workspace_created" ON "${s}"."webhook_subscriptions" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "webhook_subscriptions_workspace_active" ON "${s}"."webhook_subscriptions" ("workspace_id") WHERE "active"`);
    await queryRunner.query(`
      CREATE TABLE "${s}"."webhook_deliveries" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "subscription_id" varchar(24) NOT NULL REFERENCES "${s}"."webhook_subscriptions" ("id") ON DELETE CASCADE,
        "event_id" varchar(28) NOT NULL,
        "event_type" varchar(200) NOT NULL,
        "payload" jsonb NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'pending',
        "attempts" jsonb NOT NULL DEFAULT '[]',
        "next_attempt_at" timestamptz(3),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_workspace_subscription" ON "${s}"."webhook_deliveries" ("workspace_id", "subscription_id", "created_at", "id")`,
    );
    // The worker's claim: due pending deliveries, oldest first.
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_due" ON "${s}"."webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE "${s}"."webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "${s}"."webhook_subscriptions"`);
  }
}

function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error("The Integrations data source has no schema");
  return schema;
}
