import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Counters for list totals: how many customers each workspace has, and how many carry each tag.
 * Counting a million rows for every page took longer than the page itself; with the counters the
 * total of an unfiltered list, or of one filtered by a single tag, is one index lookup.
 *
 * The counters are kept by statement-level triggers on customers (transition tables), so every
 * write path (creates, imports, merges, tag events, deletes) keeps them right without having to
 * remember to, and a bulk statement updates each counter once. Counter rows are upserted in key
 * order, so two transactions take their locks in the same order.
 */
export class CustomerTotals1764400000200 implements MigrationInterface {
  name = "CustomerTotals1764400000200";

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`
      CREATE TABLE "customers"."customer_totals" (
        "workspace_id" varchar(24) NOT NULL,
        -- '' counts every customer of the workspace; a tag id counts the customers carrying it.
        "tag_id" varchar(24) NOT NULL,
        "customer_count" bigint NOT NULL DEFAULT 0,
        PRIMARY KEY ("workspace_id", "tag_id")
      )`);
    await run(`
      CREATE FUNCTION "customers"."apply_customer_totals"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO "customers"."customer_totals" AS t ("workspace_id", "tag_id", "customer_count")
          SELECT d.workspace_id, d.tag_id, sum(d.delta) FROM (
            SELECT n."workspace_id", '' AS tag_id, 1 AS delta FROM inserted_rows n
            UNION ALL SELECT n."workspace_id", tag, 1 FROM inserted_rows n, unnest(n."tag_ids") AS tag
          ) AS d GROUP BY d.workspace_id, d.tag_id ORDER BY d.workspace_id, d.tag_id
          ON CONFLICT ("workspace_id", "tag_id") DO UPDATE SET "customer_count" = t."customer_count" + EXCLUDED."customer_count";
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO "customers"."customer_totals" AS t ("workspace_id", "tag_id", "customer_count")
          SELECT d.workspace_id, d.tag_id, sum(d.delta) FROM (
            SELECT o."workspace_id", '' AS tag_id, -1 AS delta FROM deleted_rows o
            UNION ALL SELECT o."workspace_id", tag, -1 FROM deleted_rows o, unnest(o."tag_ids") AS tag
          ) AS d GROUP BY d.workspace_id, d.tag_id ORDER BY d.workspace_id, d.tag_id
          ON CONFLICT ("workspace_id", "tag_id") DO UPDATE SET "customer_count" = t."customer_count" + EXCLUDED."customer_count";
        ELSE
          -- Only tag changes move counters (a customer never changes workspace); updates that leave
          -- the tags alone net to nothing and write nothing.
          INSERT INTO "customers"."customer_totals" AS t ("workspace_id", "tag_id", "customer_count")
          SELECT d.workspace_id, d.tag_id, sum(d.delta) FROM (
            SELECT n."workspace_id", tag AS tag_id, 1 AS delta FROM updated_rows n, unnest(n."tag_ids") AS tag
            UNION ALL SELECT o."workspace_id", tag, -1 FROM previous_rows o, unnest(o."tag_ids") AS tag
          ) AS d GROUP BY d.workspace_id, d.tag_id HAVING sum(d.delta) <> 0 ORDER BY d.workspace_id, d.tag_id
          ON CONFLICT ("workspace_id", "tag_id") DO UPDATE SET "customer_count" = t."customer_count" + EXCLUDED."customer_count";
        END IF;
        RETURN NULL;
      END
      $$`);
    await run(`CREATE TRIGGER "customer_totals_insert" AFTER INSERT ON "customers"."customers"
      REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers"."apply_customer_totals"()`);
    await run(`CREATE TRIGGER "customer_totals_update" AFTER UPDATE ON "customers"."customers"
      REFERENCING OLD TABLE AS previous_rows NEW TABLE AS updated_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers"."apply_customer_totals"()`);
    await run(`CREATE TRIGGER "customer_totals_delete" AFTER DELETE ON "customers"."customers"
      REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers"."apply_customer_totals"()`);
    // The customers already there (the migration runs in one transaction with the table locked by
    // nothing else: replicas wait on the migrations lock).
    await run(`LOCK TABLE "customers"."customers" IN SHARE MODE`);
    await run(`
      INSERT INTO "customers"."customer_totals" ("workspace_id", "tag_id", "customer_count")
      SELECT "workspace_id", '', count(*) FROM "customers"."customers" GROUP BY "workspace_id"
      UNION ALL
      SELECT "workspace_id", tag, count(*) FROM "customers"."customers", unnest("tag_ids") AS tag GROUP BY "workspace_id", tag`);

    // Contact times sort a customer never contacted as the oldest: last in "most recent first"
    // (desc), first in asc. Before, desc listed every never-contacted customer ahead of the rest.
    // One index in that order serves both directions.
    for (const column of ["last_contact", "first_contact"]) {
      await run(`DROP INDEX "customers"."customers_workspace_${column}"`);
      await run(`CREATE INDEX "customers_workspace_${column}" ON "customers"."customers" ("workspace_id", "${column}_at" DESC NULLS LAST, "id" DESC)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ["last_contact", "first_contact"]) {
      await queryRunner.query(`DROP INDEX "customers"."customers_workspace_${column}"`);
      await queryRunner.query(`CREATE INDEX "customers_workspace_${column}" ON "customers"."customers" ("workspace_id", "${column}_at", "id")`);
    }
    for (const trigger of ["customer_totals_insert", "customer_totals_update", "customer_totals_delete"]) {
      await queryRunner.query(`DROP TRIGGER "${trigger}" ON "customers"."customers"`);
    }
    await queryRunner.query(`DROP FUNCTION "customers"."apply_customer_totals"()`);
    await queryRunner.query(`DROP TABLE "customers"."customer_totals"`);
  }
}
