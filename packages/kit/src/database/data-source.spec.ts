import type { DataSource, MigrationInterface } from "typeorm";
import { runMigrations } from "./data-source";
import { AddNotesIndex1764400000001, CreateNotes1764400000000, createNotesDataSource, dropSchema, uniqueSchema } from "./notes.fixture";

const ALL = ["KitOutbox1764300000000", "KitProcessedEvents1764300000001", "KitOutboxWriter1764300000002", "CreateNotes1764400000000", "AddNotesIndex1764400000001"];

class Broken1764400000002 implements MigrationInterface {
  name = "Broken1764400000002";
  async up(): Promise<void> {
    throw new Error("migration failed on purpose");
  }
  async down(): Promise<void> {}
}

describe("runMigrations", () => {
  // Each test works in a schema of its own; all are dropped at the end.
  const cleanups: (() => Promise<void>)[] = [];
  function dataSources(count: number, migrations?: (new () => MigrationInterface)[]): { schema: string; sources: DataSource[] } {
    const schema = uniqueSchema();
    const sources = Array.from({ length: count }, () => createNotesDataSource(schema, migrations));
    cleanups.push(() => dropSchema(schema, createNotesDataSource(schema), ...sources));
    return { schema, sources };
  }
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  const applied = async (dataSource: DataSource, schema: string): Promise<string[]> =>
    ((await dataSource.query(`SELECT "name" FROM "${schema}"."migrations" ORDER BY "id"`)) as { name: string }[]).map((r) => r.name);
  const tables = async (dataSource: DataSource, schema: string): Promise<string[]> => {
    const rows = (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])) as { table_name: string }[];
    return rows.map((r) => r.table_name);
  };

  test("creates the schema, runs the kit's outbox migration and the service's in order, and records them", async () => {
    const { schema, sources: [ds] } = dataSources(1);
    await ds!.initialize();
    expect(await runMigrations(ds!)).toEqual(ALL);
    expect(await applied(ds!, schema)).toEqual(ALL);
    expect(await tables(ds!, schema)).toEqual(["migrations", "notes", "outbox_events", "processed_events"]);
  });

  test("runs nothing the second time, and only new migrations after a release", async () => {
    const { schema, sources: [first] } = dataSources(1, [CreateNotes1764400000000]);
    await first!.initialize();
    expect(await runMigrations(first!)).toEqual(["KitOutbox1764300000000", "KitProcessedEvents1764300000001", "KitOutboxWriter1764300000002", "CreateNotes1764400000000"]);
    expect(await runMigrations(first!)).toEqual([]);

    const next = createNotesDataSource(schema, [CreateNotes1764400000000, AddNotesIndex1764400000001]);
    try {
      await next.initialize();
      expect(await runMigrations(next)).toEqual(["AddNotesIndex1764400000001"]);
      expect(await applied(next, schema)).toEqual(ALL);
    } finally {
      await next.destroy();
    }
  });

  test("applies each migration exactly once when replicas migrate the same schema at the same time", async () => {
    const { schema, sources } = dataSources(3);
    await Promise.all(sources.map((ds) => ds.initialize()));
    const results = await Promise.all(sources.map((ds) => runMigrations(ds)));
    // One replica ran everything; the others waited for the lock, then found nothing to do.
    expect(results.flat().sort()).toEqual([...ALL].sort());
    expect(results.filter((names) => names.length > 0)).toEqual([ALL]);
    expect(await applied(sources[0]!, schema)).toEqual(ALL);
  });

  test("rolls everything back when a migration fails, schema included", async () => {
    const { schema, sources: [ds] } = dataSources(1, [CreateNotes1764400000000, Broken1764400000002]);
    await ds!.initialize();
    const typeormLog = jest.spyOn(console, "log").mockImplementation(() => undefined); // typeorm prints failed migrations
    try {
      await expect(runMigrations(ds!)).rejects.toThrow("migration failed on purpose");
    } finally {
      typeormLog.mockRestore();
    }
    const found = (await ds!.query(`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1`, [schema])) as { n: number }[];
    expect(found[0]!.n).toBe(0);
    // The connection went back to the pool usable: no transaction was left open.
    expect(await ds!.query("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
  });

  test("refuses a data source without a schema", async () => {
    await expect(runMigrations(createNotesDataSource(""))).rejects.toThrow("The data source has no schema");
  });
});
