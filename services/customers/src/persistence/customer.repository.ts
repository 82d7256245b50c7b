import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { pageOf, resolveListParams, ServiceError, runSql, WorkspaceRepository, type ListParams, type ListSpec, type Pagination } from "@velaflows/kit";
import type { CustomerFilter } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { CustomerEntity } from "./customer.entity";
import { applyCustomerFilter, counterKeyOf, MAX_TERM_EXPANSION, searchLexemePrefix, searchWords, type SearchScope } from "./customer-filter";

const CUSTOMER_LIST: ListSpec = {
  sortable: {
    createdAt: "c.created_at",
    updatedAt: "c.updated_at",
    lastContactAt: "c.last_contact_at",
    firstContactAt: "c.first_contact_at",
    name: "c.name_key",
  },
  tieBreaker: "c.id",
};

/** Sorts on a time that may be unset: unset counts as the oldest (last in desc, first in asc), the order of their indexes. */
const NULLABLE_SORTS = new Set(["lastContactAt", "firstContactAt"]);

/**
 * A list whose total is not held by a counter counts its matches up to this many (10 pages of
 * 20): a total of exactly this means "this many or more" (documented on ListCustomersResponse),
 * so a broad search or filter over a million customers never counts them all for one page. Each
 * counted match is a table row read, and a search word of middling frequency has no cheap path
 * to many of them: at a million customers, counting to 1,000 took 20–110 ms, to 200 3–30 ms.
 */
export const COUNTED_TOTAL_CAP = 200;

/** Every stored column but the generated search vector, in table order. */
const INSERT_COLUMNS = [
  "id", "workspace_id", "first_name", "last_name", "name_key", "emails", "phones", "primary_email", "primary_phone", "identities", "company", "language",
  "country", "avatar_url", "consent", "opted_out_channels", "tag_ids", "custom_properties", "owner_id", "source", "first_contact_at", "last_contact_at",
  "search_document", "created_by", "created_at", "updated_at",
] as const;

/** A uniqueness key: an e-mail, phone or channel identity of one customer. */
export interface CustomerKey {
  kind: string;
  value: string;
}

/** Customers of one workspace at a time, with their keys and tag copy. */
export class CustomerRepository {
  private readonly base: WorkspaceRepository<CustomerEntity>;

  constructor(private readonly manager: EntityManager) {
    this.base = new WorkspaceRepository(CustomerEntity, manager);
  }

  findById(workspaceId: string, id: string): Promise<CustomerEntity | null> {
    return this.base.findById(workspaceId, id);
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<CustomerEntity[]> {
    return this.base.findByIds(workspaceId, ids);
  }

  /** Locks the rows for the rest of the transaction (merge, concurrent updates). */
  async lock(workspaceId: string, ids: readonly string[]): Promise<void> {
    await runSql(this.manager, `SELECT 1 FROM "customers"."customers" WHERE "workspace_id" = $1 AND "id" = ANY($2::varchar[]) ORDER BY "id" FOR UPDATE`, [workspaceId, ids]);
  }

  insert(workspaceId: string, customer: Partial<CustomerEntity>): Promise<CustomerEntity> {
    return this.base.insert(workspaceId, customer);
  }

  async update(workspaceId: string, id: string, patch: Partial<CustomerEntity>): Promise<void> {
    const { id: _id, workspaceId: _ws, createdAt: _c, updatedAt: _u, ...columns } = patch;
    await this.base.update(workspaceId, { id }, columns as never);
  }

  delete(workspaceId: string, id: string): Promise<number> {
    return this.base.delete(workspaceId, { id });
  }

  /**
   * One page of the customers matching every one of `filters`. The total comes from the page
   * itself when it is the last one, from the counters when the filters allow (none, or one tag),
   * else from counting matches up to {@link COUNTED_TOTAL_CAP}.
   */
  async list(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[], params: ListParams): Promise<{ items: CustomerEntity[]; pagination: Pagination }> {
    const list = resolveListParams({ ...params, search: undefined }, CUSTOMER_LIST);
    const nulls = NULLABLE_SORTS.has(list.sortBy) ? (list.sortOrder === "DESC" ? "NULLS LAST" : "NULLS FIRST") : undefined;
    const offset = (list.page - 1) * list.limit;
    const sorted = <Q extends SelectQueryBuilder<CustomerEntity>>(query: Q) =>
      query.orderBy(CUSTOMER_LIST.sortable[list.sortBy]!, list.sortOrder, nulls).addOrderBy(CUSTOMER_LIST.tieBreaker, list.sortOrder);
    const countable = counterKeyOf(filters) !== undefined;
    // A count runs beside the page (on another connection): in the page's order, so it can walk
    // the page's index and stop at the cap (unordered, the planner builds a bitmap of every match
    // of a common search word first), and bounded by the cap. A page shorter than the limit makes
    // it moot.
    const search = await this.searchScope(workspaceId, filters);
    const [items, counted] = await Promise.all([
      sorted(this.matching(workspaceId, filters, search)).offset(offset).limit(list.limit).getMany(),
      countable ? undefined : this.countMatching(workspaceId, filters, search, COUNTED_TOTAL_CAP, sorted),
    ]);
    let total: number;
    if (items.length > 0 && items.length < list.limit) total = offset + items.length;
    else if (items.length === 0 && offset === 0) total = 0;
    else total = counted ?? (await this.countFromCounters(workspaceId, filters))!;
    return { items, pagination: pageOf(list, total) };
  }

  /** How many customers match every one of `filters`, exactly (counters when they hold it). */
  async count(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[]): Promise<number> {
    return (await this.countFromCounters(workspaceId, filters)) ?? this.countMatching(workspaceId, filters, await this.searchScope(workspaceId, filters));
  }

  private matching(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[], search: SearchScope) {
    const query = this.base.query(workspaceId, "c");
    filters.forEach((filter, i) => applyCustomerFilter(query, filter, search, `f${i}`));
    return query;
  }

  /**
   * How the workspace's searches are written: its lexeme prefix, and the whole words of its
   * vocabulary (see the SearchTerms migration) that each search word of `filters` starts, for the
   * words that start at most {@link MAX_TERM_EXPANSION}; all-digit words (phone suffixes) are not
   * looked up. One statement, one primary-key range per word.
   */
  private async searchScope(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[]): Promise<SearchScope> {
    const lexemePrefix = searchLexemePrefix(workspaceId);
    const words = [...new Set(filters.flatMap((filter) => (filter?.search ? searchWords(filter.search) : [])))].filter((word) => /[^0-9]/.test(word));
    if (words.length === 0) return { lexemePrefix, expansions: new Map() };
    const { rows } = await runSql<{ word: string; terms: string[] }>(
      this.manager,
      `SELECT w."word", ARRAY(
                SELECT t."term" FROM "customers"."search_terms" t
                 WHERE t."workspace_id" = $1 AND t."term" >= w."word" AND t."term" < w."word" || chr(1114111)
                 ORDER BY t."term" LIMIT $3) AS "terms"
         FROM unnest($2::text[]) AS w("word")`,
      [workspaceId, words, MAX_TERM_EXPANSION + 1],
    );
    return { lexemePrefix, expansions: new Map(rows.filter((row) => row.terms.length <= MAX_TERM_EXPANSION).map((row) => [row.word, row.terms])) };
  }

  /** The counter of the workspace or of one tag (kept by triggers, see the CustomerTotals migration), when it answers `filters`. */
  private async countFromCounters(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[]): Promise<number | undefined> {
    const key = counterKeyOf(filters);
    if (key === undefined) return undefined;
    const { rows } = await runSql<{ n: string }>(
      this.manager,
      `SELECT "customer_count"::text AS "n" FROM "customers"."customer_totals" WHERE "workspace_id" = $1 AND "tag_id" = $2`,
      [workspaceId, key],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Counts the matches, stopping at `cap` when given (the first `cap` in the order `sorted` gives). */
  private async countMatching(
    workspaceId: string,
    filters: readonly (Partial<CustomerFilter> | undefined)[],
    search: SearchScope,
    cap?: number,
    sorted?: (query: SelectQueryBuilder<CustomerEntity>) => SelectQueryBuilder<CustomerEntity>,
  ): Promise<number> {
    let query = this.matching(workspaceId, filters, search).select("c.id");
    if (sorted) query = sorted(query);
    if (cap !== undefined) query.limit(cap);
    const [sql, parameters] = query.getQueryAndParameters();
    const { rows } = await runSql<{ n: string }>(this.manager, `SELECT count(*)::text AS "n" FROM (${sql}) AS "matching"`, parameters);
    return Number(rows[0]!.n);
  }

  /** The next `limit` matching customers after `afterId`, in id order (exports walk with it). */
  async page(workspaceId: string, filters: readonly (Partial<CustomerFilter> | undefined)[], afterId: string | null, limit: number): Promise<CustomerEntity[]> {
    const query = this.matching(workspaceId, filters, await this.searchScope(workspaceId, filters));
    if (afterId) query.andWhere("c.id > :afterId", { afterId });
    return query.orderBy("c.id", "ASC").limit(limit).getMany();
  }

  /**
   * Inserts many new customers (complete rows: id and timestamps set) with one statement and one
   * parameter, the rows as JSON (imports). Building a typeorm insert of 27 columns by 500 rows
   * cost more CPU than the database spent on it.
   */
  async insertMany(workspaceId: string, rows: readonly CustomerEntity[]): Promise<void> {
    if (rows.length === 0) return;
    const json = rows.map((row) => ({
      id: row.id,
      workspace_id: workspaceId,
      first_name: row.firstName,
      last_name: row.lastName,
      name_key: row.nameKey,
      emails: row.emails,
      phones: row.phones,
      primary_email: row.primaryEmail,
      primary_phone: row.primaryPhone,
      identities: row.identities,
      company: row.company,
      language: row.language,
      country: row.country,
      avatar_url: row.avatarUrl,
      consent: row.consent,
      opted_out_channels: row.optedOutChannels,
      tag_ids: row.tagIds,
      custom_properties: row.customProperties,
      owner_id: row.ownerId,
      source: row.source,
      first_contact_at: row.firstContactAt,
      last_contact_at: row.lastContactAt,
      search_document: row.searchDocument,
      created_by: row.createdBy,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
    }));
    await runSql(
      this.manager,
      `INSERT INTO "customers"."customers" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(", ")})
       SELECT ${INSERT_COLUMNS.map((c) => `r."${c}"`).join(", ")} FROM jsonb_populate_recordset(NULL::"customers"."customers", $1::jsonb) AS r`,
      [JSON.stringify(json)],
    );
  }

  /** Claims many keys at once; returns how many were free (the rest are held by someone). */
  async insertKeys(workspaceId: string, entries: readonly (CustomerKey & { customerId: string })[]): Promise<number> {
    if (entries.length === 0) return 0;
    const { rows } = await runSql<{ n: string }>(
      this.manager,
      `WITH inserted AS (
         INSERT INTO "customers"."customer_keys" ("workspace_id", "kind", "value", "customer_id")
         SELECT $1, n.kind, n.value, n.customer_id FROM unnest($2::varchar[], $3::varchar[], $4::varchar[]) AS n(kind, value, customer_id)
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*) AS n FROM inserted`,
      [workspaceId, entries.map((e) => e.kind), entries.map((e) => e.value), entries.map((e) => e.customerId)],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The holders of the keys that are taken, by "kind\u0000value". */
  async keyHolders(workspaceId: string, keys: readonly CustomerKey[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const { rows } = await runSql<{ kind: string; value: string; customer_id: string }>(
      this.manager,
      `SELECT k."kind", k."value", k."customer_id" FROM "customers"."customer_keys" k
         JOIN unnest($2::varchar[], $3::varchar[]) AS n(kind, value) ON n.kind = k."kind" AND n.value = k."value"
        WHERE k."workspace_id" = $1`,
      [workspaceId, keys.map((k) => k.kind), keys.map((k) => k.value)],
    );
    return new Map(rows.map((r) => [`${r.kind}\u0000${r.value}`, r.customer_id]));
  }

  /** The customer holding a key, if any. */
  async findIdByKey(workspaceId: string, key: CustomerKey): Promise<string | undefined> {
    const { rows } = await runSql<{ customer_id: string }>(
      this.manager,
      `SELECT "customer_id" FROM "customers"."customer_keys" WHERE "workspace_id" = $1 AND "kind" = $2 AND "value" = $3`,
      [workspaceId, key.kind, key.value],
    );
    return rows[0]?.customer_id;
  }

  /** The holders of many keys of one kind at once (imports match a batch with one query). */
  async findIdsByKeys(workspaceId: string, kind: string, values: readonly string[]): Promise<Map<string, string>> {
    if (values.length === 0) return new Map();
    const { rows } = await runSql<{ value: string; customer_id: string }>(
      this.manager,
      `SELECT "value", "customer_id" FROM "customers"."customer_keys" WHERE "workspace_id" = $1 AND "kind" = $2 AND "value" = ANY($3::varchar[])`,
      [workspaceId, kind, values],
    );
    return new Map(rows.map((r) => [r.value, r.customer_id]));
  }

  /**
   * Makes `keys` exactly the keys of `customerId`. A key another customer holds fails the whole
   * write with ALREADY_EXISTS naming that customer (the caller's transaction rolls back).
   */
  async replaceKeys(workspaceId: string, customerId: string, keys: readonly CustomerKey[]): Promise<void> {
    await runSql(
      this.manager,
      `DELETE FROM "customers"."customer_keys" k WHERE k."workspace_id" = $1 AND k."customer_id" = $2
          AND NOT EXISTS (SELECT 1 FROM unnest($3::varchar[], $4::varchar[]) AS n(kind, value) WHERE n.kind = k."kind" AND n.value = k."value")`,
      [workspaceId, customerId, keys.map((k) => k.kind), keys.map((k) => k.value)],
    );
    if (keys.length === 0) return;
    await runSql(
      this.manager,
      `INSERT INTO "customers"."customer_keys" ("workspace_id", "kind", "value", "customer_id")
       SELECT $1, n.kind, n.value, $2 FROM unnest($3::varchar[], $4::varchar[]) AS n(kind, value)
       ON CONFLICT DO NOTHING`,
      [workspaceId, customerId, keys.map((k) => k.kind), keys.map((k) => k.value)],
    );
    const { rows } = await runSql<{ kind: string; value: string; customer_id: string }>(
      this.manager,
      `SELECT k."kind", k."value", k."customer_id" FROM "customers"."customer_keys" k
         JOIN unnest($2::varchar[], $3::varchar[]) AS n(kind, value) ON n.kind = k."kind" AND n.value = k."value"
        WHERE k."workspace_id" = $1 AND k."customer_id" <> $4`,
      [workspaceId, keys.map((k) => k.kind), keys.map((k) => k.value), customerId],
    );
    const taken = rows[0];
    if (taken) {
      throw new ServiceError(GrpcStatus.ALREADY_EXISTS, `Another customer already has the ${describeKind(taken.kind)} ${taken.value}`, {
        reason: "CUSTOMER_KEY_TAKEN",
        resource: { type: "Customer", id: taken.customer_id },
        metadata: { kind: taken.kind },
      });
    }
  }

  /** Deletes the keys of customers about to be merged away, so the target can take them. */
  async deleteKeys(workspaceId: string, customerIds: readonly string[]): Promise<void> {
    await runSql(this.manager, `DELETE FROM "customers"."customer_keys" WHERE "workspace_id" = $1 AND "customer_id" = ANY($2::varchar[])`, [workspaceId, customerIds]);
  }

  /** Adds tags to the copy (no duplicates); returns false when the customer does not exist here. */
  async addTags(workspaceId: string, customerId: string, tagIds: readonly string[]): Promise<boolean> {
    const { affected } = await runSql(
      this.manager,
      `UPDATE "customers"."customers" SET "tag_ids" = ARRAY(SELECT DISTINCT unnest("tag_ids" || $3::text[]) ORDER BY 1)
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, customerId, tagIds],
    );
    return affected > 0;
  }

  async removeTags(workspaceId: string, customerId: string, tagIds: readonly string[]): Promise<boolean> {
    const { affected } = await runSql(
      this.manager,
      `UPDATE "customers"."customers" SET "tag_ids" = ARRAY(SELECT t FROM unnest("tag_ids") AS t WHERE NOT t = ANY($3::text[]) ORDER BY 1)
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, customerId, tagIds],
    );
    return affected > 0;
  }

  /** Gives each customer exactly its tags in the copy (one statement): customers an import just created and tagged. */
  async setTagsOfMany(workspaceId: string, customers: readonly { id: string; tagIds: readonly string[] }[]): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "customers"."customers" c SET "tag_ids" = ARRAY(SELECT DISTINCT t FROM unnest(string_to_array(v.tags, ',')) AS t ORDER BY 1), "updated_at" = now()
         FROM unnest($2::varchar[], $3::text[]) AS v(id, tags)
        WHERE c."workspace_id" = $1 AND c."id" = v.id`,
      [workspaceId, customers.map((c) => c.id), customers.map((c) => c.tagIds.join(","))],
    );
  }

  /** A tag deleted in the Tags service leaves every customer of the workspace. */
  async removeTagEverywhere(workspaceId: string, tagId: string): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "customers"."customers" SET "tag_ids" = array_remove("tag_ids", $2::text) WHERE "workspace_id" = $1 AND "tag_ids" @> ARRAY[$2::text]`,
      [workspaceId, tagId],
    );
  }

  /** A tag merged into another in the Tags service: customers carrying the source carry the target. */
  async replaceTagEverywhere(workspaceId: string, sourceId: string, targetId: string): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "customers"."customers"
          SET "tag_ids" = ARRAY(SELECT DISTINCT unnest(array_replace("tag_ids", $2::text, $3::text)) ORDER BY 1)
        WHERE "workspace_id" = $1 AND "tag_ids" @> ARRAY[$2::text]`,
      [workspaceId, sourceId, targetId],
    );
  }

  /** A deleted custom property's values leave every customer of the workspace. */
  async removeCustomProperty(workspaceId: string, key: string): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "customers"."customers" SET "custom_properties" = "custom_properties" - $2::text WHERE "workspace_id" = $1 AND "custom_properties" ? $2::text`,
      [workspaceId, key],
    );
  }
}

function describeKind(kind: string): string {
  return kind === "email" ? "e-mail" : kind === "phone" ? "phone" : `${kind} identity`;
}
