import type { Pool } from "pg";
import { escapeLike, type PromiseClient } from "@velaflows/kit";
import { workspaceMetadata } from "@velaflows/testing";
import type { TagsServiceClient } from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { SEARCH_WORDS } from "./seed";

/** One ListTags call: a page of the default sort (createdAt desc), optionally filtered by `search`. */
export interface ListRequest {
  page: number;
  search: string;
}

/** What both paths return, enough to check they agree. */
export interface ListPage {
  ids: string[];
  total: number;
}

/** A way of fetching a page: through the Tags service over gRPC, or straight from PostgreSQL. */
export type ListTags = (request: ListRequest) => Promise<ListPage>;

/**
 * ListTags over gRPC through the kit's promise client, as another service or the gateway calls it:
 * fresh metadata carrying the workspace on every call, default sort, `limit` per page.
 */
export function grpcListTags(call: PromiseClient<TagsServiceClient>, workspaceId: string, limit: number): ListTags {
  return async ({ page, search }) => {
    // A generous deadline: the client's 5 s default could fail a run on a saturated machine.
    const settings = { metadata: workspaceMetadata(workspaceId), deadline: new Date(Date.now() + 60_000) };
    const response = await call.listTags({ page, limit, search, sortBy: "", sortOrder: "", entityType: "" }, settings);
    return { ids: response.items.map((tag) => tag.id), total: response.pagination?.total ?? 0 };
  };
}

// The statements typeorm sends for TagRepository.list through the kit's `paginate` (captured from
// the wire), so the baseline parses, plans and returns exactly the same rows and columns.
const COLUMNS = ["id", "workspace_id", "created_at", "updated_at", "name", "name_key", "color", "description", "entity_types", "usage_count", "created_by"]
  .map((column) => `"t"."${column}" AS "t_${column}"`)
  .join(", ");
const WHERE = `WHERE "t"."workspace_id" = $1`;
const SEARCH = ` AND ("t"."name" ILIKE $2 OR "t"."description" ILIKE $2)`;

/**
 * The same page with plain `pg`, the way the endpoint gets it: typeorm's getManyAndCount holds one
 * pooled connection for two statements in turn, the page (LIMIT/OFFSET written into the SQL) and
 * then COUNT(1) — skipped, as typeorm skips it, when a short page already tells the total.
 */
export function pgListTags(pool: Pool, workspaceId: string, limit: number): ListTags {
  return async ({ page, search }) => {
    const offset = (page - 1) * limit;
    const filter = search ? WHERE + SEARCH : WHERE;
    const params = search ? [workspaceId, `%${escapeLike(search)}%`] : [workspaceId];
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ t_id: string }>(
        `SELECT ${COLUMNS} FROM "tags"."tags" "t" ${filter} ORDER BY "t"."created_at" DESC, "t"."id" DESC LIMIT ${limit} OFFSET ${offset}`,
        params,
      );
      let total = offset + rows.length;
      if (rows.length === limit || (rows.length === 0 && offset > 0)) {
        const counted = await client.query<{ cnt: string }>(`SELECT COUNT(1) AS "cnt" FROM "tags"."tags" "t" ${filter}`, params);
        total = Number(counted.rows[0]?.cnt ?? 0);
      }
      return { ids: rows.map((row) => row.t_id), total };
    } finally {
      client.release();
    }
  };
}

/** A stream of list requests: request `i` is the same for both paths, so they do identical work. */
export interface Workload {
  name: string;
  /** One line for the report. */
  description: string;
  /**
   * The fraction of BENCH_REQUESTS (and of the warm-up) this workload sends per path and round:
   * dearer workloads send fewer, so that each round stays a few seconds long on every database.
   */
  requestShare: number;
  request(i: number): ListRequest;
}

/**
 * 1 … `pages` for request `i`: a multiplicative hash spreads consecutive requests over all pages
 * (first, middle, deep offsets) or items, in a fixed order, so every run and every path see the
 * same sequence.
 */
export function spread(i: number, pages: number): number {
  return 1 + ((Math.imul(i + 1, 0x9e3779b1) >>> 0) % pages);
}

/** Pages of the default sort spread over the whole workspace (deep offsets included). */
export function pageWorkload(tags: number, limit: number): Workload {
  const pages = Math.max(1, Math.ceil(tags / limit));
  return {
    name: "page",
    description: `default sort (createdAt desc), pages 1-${pages} spread evenly, limit ${limit}`,
    requestShare: 1,
    request: (i) => ({ page: spread(i, pages), search: "" }),
  };
}

/**
 * A search matching a tenth of the tags (one of {@link SEARCH_WORDS} in turn), pages spread over
 * its results. Without a trigram index every search scans the workspace twice (page and count),
 * several times the work of a plain page, so it sends a fifth of the requests.
 */
export function searchWorkload(tags: number, limit: number): Workload {
  const matches = (w: number) => (tags > w ? Math.floor((tags - 1 - w) / SEARCH_WORDS.length) + 1 : 0);
  const pagesOf = SEARCH_WORDS.map((_, w) => Math.max(1, Math.ceil(matches(w) / limit)));
  return {
    name: "search",
    description: `search one word (~${matches(0)} matches, ILIKE on name and description), pages 1-${pagesOf[0]} spread, limit ${limit}`,
    requestShare: 0.2,
    request: (i) => {
      const w = i % SEARCH_WORDS.length;
      return { page: spread(Math.floor(i / SEARCH_WORDS.length), pagesOf[w]!), search: SEARCH_WORDS[w]! };
    },
  };
}
