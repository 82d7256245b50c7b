import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The vocabulary of each workspace's search documents: every word that is not all digits. A search
 * word is looked up here and replaced by the whole words it starts ("ann" by anna | anne |
 * annika), because the GIN index answers whole words several times faster than a prefix: a prefix
 * match collects every posting of every word it starts into a bitmap before intersecting, while
 * whole words intersect by skipping through their posting trees (at a million customers "ann smi"
 * took 135 ms as prefixes, 16 ms as whole words). Digit words (phone suffixes) stay prefixes.
 *
 * Kept by statement-level triggers on customers, so every write path adds its new words; rows are
 * inserted in key order (concurrent writers lock shared words in the same order). Words are never
 * removed: a word no customer holds any more expands a search into one index lookup that finds
 * nothing, and the vocabulary only ever shapes a query of its own workspace.
 */
export class SearchTerms1764400000500 implements MigrationInterface {
  name = "SearchTerms1764400000500";

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    // Byte order ("C"), so a prefix LIKE is a range of the primary key.
    await run(`
      CREATE TABLE "customers"."search_terms" (
        "workspace_id" varchar(24) NOT NULL,
        "term" text COLLATE "C" NOT NULL,
        PRIMARY KEY ("workspace_id", "term")
      )`);
    await run(`
      CREATE FUNCTION "customers"."collect_search_terms"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO "customers"."search_terms" ("workspace_id", "term")
          SELECT DISTINCT n."workspace_id", w FROM inserted_rows n, unnest(string_to_array(n."search_document", ' ')) AS w
           WHERE w ~ '[^0-9]' ORDER BY 1, 2
          ON CONFLICT DO NOTHING;
        ELSE
          INSERT INTO "customers"."search_terms" ("workspace_id", "term")
          SELECT DISTINCT n."workspace_id", w FROM updated_rows n JOIN previous_rows o ON o."id" = n."id",
                 unnest(string_to_array(n."search_document", ' ')) AS w
           WHERE n."search_document" <> o."search_document" AND w ~ '[^0-9]' ORDER BY 1, 2
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
      $$`);
    await run(`CREATE TRIGGER "search_terms_insert" AFTER INSERT ON "customers"."customers"
      REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers"."collect_search_terms"()`);
    await run(`CREATE TRIGGER "search_terms_update" AFTER UPDATE ON "customers"."customers"
      REFERENCING OLD TABLE AS previous_rows NEW TABLE AS updated_rows FOR EACH STATEMENT EXECUTE FUNCTION "customers"."collect_search_terms"()`);
    await run(`
      INSERT INTO "customers"."search_terms" ("workspace_id", "term")
      SELECT DISTINCT c."workspace_id", w FROM "customers"."customers" c, unnest(string_to_array(c."search_document", ' ')) AS w
       WHERE w ~ '[^0-9]'
      ON CONFLICT DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "search_terms_update" ON "customers"."customers"`);
    await queryRunner.query(`DROP TRIGGER "search_terms_insert" ON "customers"."customers"`);
    await queryRunner.query(`DROP FUNCTION "customers"."collect_search_terms"()`);
    await queryRunner.query(`DROP TABLE "customers"."search_terms"`);
  }
}
