import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ValidationError, type FieldViolation } from "../errors/service-error";

/** The list parameters every list RPC accepts (proto3 defaults mean "not given"). */
export interface ListParams {
  page?: number;
  limit?: number;
  search?: string;
  sortBy?: string;
  sortOrder?: string;
}

/** What a list endpoint allows: its sortable fields, searchable columns and defaults. */
export interface ListSpec {
  /** API sort names ("createdAt") mapped to SQL expressions over the query's alias ("t.created_at"). */
  sortable: Readonly<Record<string, string>>;
  /** The sort when none is given; "createdAt" by default. */
  defaultSortBy?: string;
  /** SQL expressions searched with a case-insensitive substring match. */
  searchable?: readonly string[];
  /** A unique column appended to every sort so pages never overlap or skip rows. */
  tieBreaker: string;
}

/** The `velaflows.common.v1.Pagination` of a page. */
export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** Checked list parameters with defaults applied. */
export interface ResolvedList {
  page: number;
  limit: number;
  search: string;
  sortBy: string;
  sortOrder: "ASC" | "DESC";
}

/**
 * Applies defaults (page 1, limit 20, sortBy createdAt, sortOrder desc) and checks the parameters;
 * throws a ValidationError naming each bad one (limit above 100, a sortBy not in the whitelist).
 */
export function resolveListParams(params: ListParams, spec: ListSpec): ResolvedList {
  const violations: FieldViolation[] = [];
  const page = params.page || 1;
  const limit = params.limit || DEFAULT_LIMIT;
  const sortBy = params.sortBy || spec.defaultSortBy || "createdAt";
  const sortOrder = (params.sortOrder || "desc").toLowerCase();
  if (!Number.isInteger(page) || page < 1) violations.push({ path: "page", message: "must be at least 1" });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) violations.push({ path: "limit", message: `must be between 1 and ${MAX_LIMIT}` });
  if (!(sortBy in spec.sortable)) violations.push({ path: "sortBy", message: `must be one of: ${Object.keys(spec.sortable).join(", ")}` });
  if (sortOrder !== "asc" && sortOrder !== "desc") violations.push({ path: "sortOrder", message: "must be one of: asc, desc" });
  if (violations.length > 0) throw new ValidationError(violations);
  return { page, limit, search: (params.search ?? "").trim(), sortBy, sortOrder: sortOrder === "asc" ? "ASC" : "DESC" };
}

/**
 * Runs one page of `query` (already scoped to the workspace and filtered): adds the search, the
 * whitelisted sort with a tie-breaker, offset and limit, and counts the total.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  params: ListParams,
  spec: ListSpec,
): Promise<{ items: T[]; pagination: Pagination }> {
  const list = resolveListParams(params, spec);
  if (list.search && spec.searchable && spec.searchable.length > 0) {
    const pattern = `%${escapeLike(list.search)}%`;
    query.andWhere(`(${spec.searchable.map((column) => `${column} ILIKE :listSearch`).join(" OR ")})`, { listSearch: pattern });
  }
  query
    .orderBy(spec.sortable[list.sortBy]!, list.sortOrder)
    .addOrderBy(spec.tieBreaker, list.sortOrder)
    .offset((list.page - 1) * list.limit)
    .limit(list.limit);
  const [items, total] = await query.getManyAndCount();
  return { items, pagination: pageOf(list, total) };
}

/** The pagination block for a page of `list` out of `total` items. */
export function pageOf(list: Pick<ResolvedList, "page" | "limit">, total: number): Pagination {
  return { page: list.page, limit: list.limit, total, totalPages: Math.ceil(total / list.limit) };
}

/** Escapes LIKE wildcards so a search for "50%" matches the text "50%". */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
