import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Search lexemes carry their workspace: "maria" of workspace W is indexed as "<tag of W>/maria",
 * the tag being the first 6 hex digits of md5(W) (`searchLexemePrefix`). The GIN index held one
 * posting list per word for every workspace together, so a search in any workspace walked the
 * postings of every workspace's customers with that word, and a small workspace paid for the
 * largest. Now each workspace's search reads its own postings (a tag shared by two workspaces
 * only costs a little: rows are still filtered by workspace_id).
 *
 * The words are the search document's, split on spaces and taken verbatim (no parser or
 * dictionary: the service already normalised them with `searchWords`). Rewrites the table and
 * rebuilds the index once.
 */
export class WorkspaceSearchLexemes1764400000600 implements MigrationInterface {
  name = "WorkspaceSearchLexemes1764400000600";

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`
      CREATE FUNCTION "customers"."search_lexemes"("workspace_id" text, "document" text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT array_to_tsvector(ARRAY(
            SELECT left(md5("workspace_id"), 6) || '/' || w FROM unnest(string_to_array("document", ' ')) AS w WHERE w <> ''))
        $$`);
    await run(`DROP INDEX "customers"."customers_search"`);
    await run(`ALTER TABLE "customers"."customers" DROP COLUMN "search_vector"`);
    await run(`
      ALTER TABLE "customers"."customers" ADD COLUMN "search_vector" tsvector
        GENERATED ALWAYS AS ("customers"."search_lexemes"("workspace_id", "search_document")) STORED`);
    await run(`CREATE INDEX "customers_search" ON "customers"."customers" USING gin ("search_vector")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`DROP INDEX "customers"."customers_search"`);
    await run(`ALTER TABLE "customers"."customers" DROP COLUMN "search_vector"`);
    await run(`
      ALTER TABLE "customers"."customers" ADD COLUMN "search_vector" tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "search_document")) STORED`);
    await run(`CREATE INDEX "customers_search" ON "customers"."customers" USING gin ("search_vector")`);
    await run(`DROP FUNCTION "customers"."search_lexemes"(text, text)`);
  }
}
