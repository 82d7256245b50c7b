import type { Pool } from "pg";
import { newObjectId } from "@velaflows/kit";

/**
 * Words each seeded tag name ends with, one per tag in turn, so searching for one word matches a
 * tenth of the workspace whatever its size (a realistic "type part of a name" search).
 */
export const SEARCH_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"] as const;

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

// Rows per INSERT: large enough to seed 10k tags in one statement, small enough that the
// parameter arrays of a 1M-tag run stay a few MB each.
const BATCH = 10_000;

/**
 * Inserts `count` tags into `workspaceId` with plain SQL, in the shape the Tags service writes them
 * (24-hex ids that sort by time, `name_key` = lower-cased name, defaults for the rest). Each tag
 * gets its own `created_at`, one second apart, so the default sort has no ties and every page is
 * fully determined. Runs ANALYZE afterwards so PostgreSQL plans with real statistics, as it would
 * after autovacuum on a long-lived table. Returns the ids, oldest first.
 */
export async function seedTags(pool: Pool, workspaceId: string, count: number): Promise<string[]> {
  const firstCreatedAt = Date.now() - count * 1000;
  const allIds: string[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const ids: string[] = [];
    const names: string[] = [];
    const colors: string[] = [];
    const createdAts: Date[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const createdAt = new Date(firstCreatedAt + i * 1000);
      ids.push(newObjectId(createdAt));
      names.push(`Bench tag ${String(i).padStart(7, "0")} ${SEARCH_WORDS[i % SEARCH_WORDS.length]}`);
      colors.push(COLORS[i % COLORS.length]!);
      createdAts.push(createdAt);
    }
    allIds.push(...ids);
    await pool.query(
      `INSERT INTO "tags"."tags" ("id", "workspace_id", "name", "name_key", "color", "description", "created_at", "updated_at")
       SELECT r.id, $1, r.name, lower(r.name), r.color, $2, r.created_at, r.created_at
         FROM unnest($3::varchar[], $4::varchar[], $5::varchar[], $6::timestamptz[]) AS r(id, name, color, created_at)`,
      [workspaceId, "Seeded by the ListTags benchmark", ids, names, colors, createdAts],
    );
  }
  await pool.query(`ANALYZE "tags"."tags"`);
  return allIds;
}

/** Removes the benchmark workspace's tags, so a run against a shared PostgreSQL leaves nothing behind. */
export async function deleteWorkspaceTags(pool: Pool, workspaceId: string): Promise<void> {
  await pool.query(`DELETE FROM "tags"."tags" WHERE "workspace_id" = $1`, [workspaceId]);
}
