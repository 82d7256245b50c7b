import type { MigrationInterface, QueryRunner } from "typeorm";

// Tasks (optionally about a lead; they outlive it) and activities (belong to a lead). The task views
// read (workspace_id, assignee_id, status, due_at) for "mine" and (workspace_id, status, due_at) for
// "overdue" and "due today"; a lead's timeline reads each table by (workspace_id, lead_id, time).
export class CreateTasksActivities1764400000200 implements MigrationInterface {
  name = "CreateTasksActivities1764400000200";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "crm"."tasks" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "title" varchar(200) NOT NULL,
        "description" varchar(5000) NOT NULL DEFAULT '',
        "due_at" timestamptz(3),
        "assignee_id" varchar(64),
        "priority" varchar(8) NOT NULL DEFAULT 'medium',
        "lead_id" varchar(24) REFERENCES "crm"."leads" ("id") ON DELETE SET NULL,
        "customer_id" varchar(24),
        "status" varchar(10) NOT NULL DEFAULT 'open',
        "completed_at" timestamptz(3),
        "completed_by" varchar(64),
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ("status" IN ('open', 'completed')),
        CHECK ("priority" IN ('low', 'medium', 'high', 'urgent'))
      )`);
    await queryRunner.query(`CREATE INDEX "tasks_workspace_assignee_due" ON "crm"."tasks" ("workspace_id", "assignee_id", "status", "due_at", "id")`);
    await queryRunner.query(`CREATE INDEX "tasks_workspace_status_due" ON "crm"."tasks" ("workspace_id", "status", "due_at", "id")`);
    await queryRunner.query(`CREATE INDEX "tasks_workspace_created" ON "crm"."tasks" ("workspace_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "tasks_workspace_lead" ON "crm"."tasks" ("workspace_id", "lead_id", "created_at", "id") WHERE "lead_id" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "crm"."activities" (
        "id" varchar(24) PRIMARY KEY,
        "workspace_id" varchar(24) NOT NULL,
        "lead_id" varchar(24) NOT NULL REFERENCES "crm"."leads" ("id") ON DELETE CASCADE,
        "type" varchar(10) NOT NULL,
        "subject" varchar(200) NOT NULL DEFAULT '',
        "body" varchar(10000) NOT NULL DEFAULT '',
        "occurred_at" timestamptz(3) NOT NULL,
        "duration_seconds" integer NOT NULL DEFAULT 0,
        "created_by" varchar(64),
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ("type" IN ('call', 'meeting', 'email', 'note'))
      )`);
    await queryRunner.query(`CREATE INDEX "activities_workspace_lead" ON "crm"."activities" ("workspace_id", "lead_id", "occurred_at", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "crm"."activities"`);
    await queryRunner.query(`DROP TABLE "crm"."tasks"`);
  }
}
