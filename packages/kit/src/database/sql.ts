import type { EntityManager } from "typeorm";

/** Rows and affected-row count of one SQL statement. */
export interface SqlResult<T> {
  rows: T[];
  affected: number;
}

/**
 * Runs one parameterised statement on `manager` (the transaction's, inside one) and returns its
 * rows and affected count in one shape for every command, which typeorm's `manager.query` does
 * not (it returns `[rows, count]` for UPDATE and DELETE only). For set-based writes the entity
 * API cannot express (`INSERT ... SELECT unnest(...) ON CONFLICT ... RETURNING`). Tenant-owned
 * statements must filter on `workspace_id` themselves: keep them inside workspace repositories.
 */
export async function runSql<T = Record<string, unknown>>(manager: EntityManager, text: string, params: unknown[] = []): Promise<SqlResult<T>> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(text, params, true);
    const rows = (result.records ?? []) as T[];
    return { rows, affected: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
