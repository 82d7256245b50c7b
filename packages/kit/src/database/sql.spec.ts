import type { DataSource } from "typeorm";
import { newObjectId } from "../ids/object-id";
import { runMigrations } from "./data-source";
import { createNotesDataSource, dropSchema, NoteEntity, uniqueSchema } from "./notes.fixture";
import { isUniqueViolation } from "./pg-errors";
import { runSql } from "./sql";
import { WorkspaceRepository } from "./workspace-repository";

describe("runSql and isUniqueViolation", () => {
  const schema = uniqueSchema();
  let dataSource: DataSource;
  let table: string;

  beforeAll(async () => {
    dataSource = createNotesDataSource(schema);
    await dataSource.initialize();
    await runMigrations(dataSource);
    table = `"${schema}"."notes"`;
  });
  afterAll(() => dropSchema(schema, dataSource));

  test("returns rows and the affected count in one shape for every command", async () => {
    const ws = newObjectId();
    const ids = [newObjectId(), newObjectId(), newObjectId()];
    const inserted = await runSql<{ id: string }>(
      dataSource.manager,
      `INSERT INTO ${table} ("id", "workspace_id", "title") SELECT unnest($1::varchar[]), $2, 'n' RETURNING "id"`,
      [ids, ws],
    );
    expect(inserted.affected).toBe(3);
    expect(inserted.rows.map((r) => r.id).sort()).toEqual([...ids].sort());

    const updated = await runSql(dataSource.manager, `UPDATE ${table} SET "rank" = "rank" + 1 WHERE "workspace_id" = $1 AND "id" <> $2`, [ws, ids[0]]);
    expect(updated).toEqual({ rows: [], affected: 2 });

    const selected = await runSql<{ n: number }>(dataSource.manager, `SELECT sum("rank")::int AS n FROM ${table} WHERE "workspace_id" = $1`, [ws]);
    expect(selected).toEqual({ rows: [{ n: 2 }], affected: 1 });

    const deleted = await runSql(dataSource.manager, `DELETE FROM ${table} WHERE "workspace_id" = $1`, [ws]);
    expect(deleted).toEqual({ rows: [], affected: 3 });
  });

  test("runs on the transaction's own connection inside a transaction", async () => {
    const ws = newObjectId();
    await expect(
      dataSource.transaction(async (manager) => {
        await runSql(manager, `INSERT INTO ${table} ("id", "workspace_id", "title") VALUES ($1, $2, 'tx')`, [newObjectId(), ws]);
        const seen = await runSql<{ n: number }>(manager, `SELECT count(*)::int AS n FROM ${table} WHERE "workspace_id" = $1`, [ws]);
        expect(seen.rows).toEqual([{ n: 1 }]);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const after = await runSql<{ n: number }>(dataSource.manager, `SELECT count(*)::int AS n FROM ${table} WHERE "workspace_id" = $1`, [ws]);
    expect(after.rows).toEqual([{ n: 0 }]);
  });

  test("isUniqueViolation recognises PostgreSQL's unique_violation, by constraint when named", async () => {
    const notes = new WorkspaceRepository(NoteEntity, dataSource.manager);
    const ws = newObjectId();
    const id = newObjectId();
    await notes.insert(ws, { id, title: "first" });
    const duplicate = await notes.insert(ws, { id, title: "second" }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(isUniqueViolation(duplicate, "notes_pkey")).toBe(true);
    expect(isUniqueViolation(duplicate, "some_other_index")).toBe(false);

    const insertWithoutTitle = `INSERT INTO ${table} ("id", "workspace_id") VALUES ($1, $2)`;
    const notNull = await runSql(dataSource.manager, insertWithoutTitle, [newObjectId(), ws]).catch((e: unknown) => e);
    expect(notNull).toBeInstanceOf(Error);
    expect(isUniqueViolation(notNull)).toBe(false);
    expect(isUniqueViolation(new Error("duplicate key value violates unique constraint"))).toBe(false);
  });
});
