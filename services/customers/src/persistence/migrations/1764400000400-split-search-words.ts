import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Search words now split where ASCII digits meet other characters (`searchWords`): rewrites the
 * stored search documents that hold such a word ("brown393713" becomes "brown 393713"), so
 * customers written before keep being found by the same prefixes. The documents hold only
 * letters, digits and spaces, so "not a digit or space" is a letter here. (The search index,
 * which keeps an entry for every word it ever held, is rebuilt by WorkspaceSearchLexemes.)
 */
export class SplitSearchWords1764400000400 implements MigrationInterface {
  name = "SplitSearchWords1764400000400";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "customers"."customers"
         SET "search_document" = regexp_replace("search_document", '(?<=[0-9])(?=[^0-9 ])|(?<=[^0-9 ])(?=[0-9])', ' ', 'g')
       WHERE "search_document" ~ '[0-9][^0-9 ]|[^0-9 ][0-9]'`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the split documents are found by every search the joined ones were.
  }
}
