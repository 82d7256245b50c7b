import type { DataSource, FindOptionsWhere } from "typeorm";
import { newObjectId } from "../ids/object-id";
import { runMigrations } from "./data-source";
import { createNotesDataSource, dropSchema, NoteEntity, uniqueSchema } from "./notes.fixture";
import { WorkspaceRepository } from "./workspace-repository";

const REFUSED = "Refusing a query without a workspace id";

describe("WorkspaceRepository", () => {
  const schema = uniqueSchema();
  let dataSource: DataSource;
  let notes: WorkspaceRepository<NoteEntity>;

  beforeAll(async () => {
    dataSource = createNotesDataSource(schema);
    await dataSource.initialize();
    await runMigrations(dataSource);
    notes = new WorkspaceRepository(NoteEntity, dataSource.manager);
  });
  afterAll(() => dropSchema(schema, dataSource));

  /** Two workspaces with two notes each; "mine" is the caller's, "theirs" another tenant's. */
  async function twoWorkspaces() {
    const mine = newObjectId();
    const theirs = newObjectId();
    const [m1, m2, t1, t2] = await Promise.all([
      notes.insert(mine, { id: newObjectId(), title: "mine 1" }),
      notes.insert(mine, { id: newObjectId(), title: "mine 2" }),
      notes.insert(theirs, { id: newObjectId(), title: "theirs 1" }),
      notes.insert(theirs, { id: newObjectId(), title: "theirs 2" }),
    ]);
    return { mine, theirs, m1: m1!, m2: m2!, t1: t1!, t2: t2! };
  }

  /** Every row of a workspace, read without the repository. */
  const rowsOf = async (workspaceId: string): Promise<{ id: string; title: string }[]> =>
    dataSource.query(`SELECT "id", "title" FROM "${schema}"."notes" WHERE "workspace_id" = $1 ORDER BY "title"`, [workspaceId]);
  const sortedIds = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

  test("inserts into the caller's workspace and reads it back", async () => {
    const workspaceId = newObjectId();
    const created = await notes.insert(workspaceId, { id: newObjectId(), title: "hello", rank: 3 });
    expect(created.workspaceId).toBe(workspaceId);
    const found = await notes.findById(workspaceId, created.id);
    expect(found).toMatchObject({ id: created.id, workspaceId, title: "hello", body: "", rank: 3 });
    expect(found!.createdAt).toBeInstanceOf(Date);
  });

  test("selectRows hydrates whole rows as the entity reads do, and refuses another workspace's", async () => {
    const { mine, theirs, m1, m2 } = await twoWorkspaces();
    const sql = `SELECT n.* FROM "${schema}"."notes" n WHERE n."workspace_id" = $1 AND n."title" LIKE $2 ORDER BY n."title"`;
    const selected = await notes.selectRows(mine, sql, ["mine%"]);
    expect(selected).toEqual(await Promise.all([m1, m2].map((n) => notes.findById(mine, n.id))));
    expect(selected[0]).toBeInstanceOf(NoteEntity);
    expect(selected[0]!.createdAt).toBeInstanceOf(Date);
    const leaking = `SELECT n.* FROM "${schema}"."notes" n WHERE n."workspace_id" IN ($1, $2)`;
    await expect(notes.selectRows(mine, leaking, [theirs])).rejects.toThrow("another workspace");
  });

  test("updateLocked returns the row as a fresh read would", async () => {
    const { mine, m1 } = await twoWorkspaces();
    const updated = await dataSource.transaction(async (manager) => {
      const repo = notes.withManager(manager);
      const [locked] = await repo.query(mine, "n").andWhere("n.id = :id", { id: m1.id }).setLock("pessimistic_write").getMany();
      return repo.updateLocked(mine, locked!, { title: "renamed", rank: 7 });
    });
    expect(updated).toEqual(await notes.findById(mine, m1.id));
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(m1.updatedAt.getTime());
  });

  test.each<[string, (repo: WorkspaceRepository<NoteEntity>, workspaceId: string) => Promise<unknown>]>([
    ["findById", (repo, ws) => repo.findById(ws, newObjectId())],
    ["findByIds", (repo, ws) => repo.findByIds(ws, [newObjectId()])],
    ["find", (repo, ws) => repo.find(ws)],
    ["count", (repo, ws) => repo.count(ws)],
    ["query", async (repo, ws) => repo.query(ws, "n").getMany()],
    ["selectRows", (repo, ws) => repo.selectRows(ws, `SELECT 1`)],
    ["insert", (repo, ws) => repo.insert(ws, { id: newObjectId(), title: "orphan" })],
    ["update", (repo, ws) => repo.update(ws, {}, { title: "hijacked" })],
    ["delete", (repo, ws) => repo.delete(ws, {})],
  ])("%s refuses an empty workspace id before running SQL", async (_, call) => {
    const before = await dataSource.query(`SELECT count(*)::int AS n, max("title") AS last FROM "${schema}"."notes"`);
    for (const workspaceId of ["", undefined as unknown as string, null as unknown as string]) {
      await expect(async () => call(notes, workspaceId)).rejects.toThrow(REFUSED);
    }
    // Nothing was inserted, updated or deleted in any workspace.
    expect(await dataSource.query(`SELECT count(*)::int AS n, max("title") AS last FROM "${schema}"."notes"`)).toEqual(before);
  });

  test("never returns another workspace's rows, even when the caller's where names that workspace", async () => {
    const { mine, theirs, m1, m2, t1 } = await twoWorkspaces();
    const naming = { workspaceId: theirs } as FindOptionsWhere<NoteEntity>;
    expect(sortedIds(await notes.find(mine, naming))).toEqual(sortedIds([m1, m2]));
    expect(await notes.find(mine, { ...naming, id: t1.id })).toEqual([]);
    expect(await notes.count(mine, naming)).toBe(2);
    expect(await notes.findById(mine, t1.id)).toBeNull();
    expect(sortedIds(await notes.findByIds(mine, [m1.id, t1.id]))).toEqual([m1.id]);
    expect(sortedIds(await notes.query(mine, "n").getMany())).toEqual(sortedIds([m1, m2]));
  });

  test("never changes another workspace's rows", async () => {
    const { mine, theirs, m1, t1, t2 } = await twoWorkspaces();
    const naming = { workspaceId: theirs } as FindOptionsWhere<NoteEntity>;
    expect(await notes.update(mine, { id: t1.id }, { title: "hijacked" })).toBe(0);
    expect(await notes.update(mine, naming, { title: "changed" })).toBe(2);
    expect(await notes.delete(mine, { id: t2.id })).toBe(0);
    expect(await notes.delete(mine, { ...naming, id: m1.id })).toBe(1);
    expect(await rowsOf(theirs)).toEqual([
      { id: t1.id, title: "theirs 1" },
      { id: t2.id, title: "theirs 2" },
    ]);
    expect((await rowsOf(mine)).map((r) => r.title)).toEqual(["changed"]);
  });

  test("never moves a row into another workspace through the patch", async () => {
    const { mine, theirs, m1 } = await twoWorkspaces();
    await notes.update(mine, { id: m1.id }, { workspaceId: theirs, title: "moved?" });
    expect((await rowsOf(mine)).map((r) => r.title)).toEqual(["mine 2", "moved?"]);
    expect((await rowsOf(theirs)).map((r) => r.title)).toEqual(["theirs 1", "theirs 2"]);
  });

  test("never inserts into another workspace through the entity", async () => {
    const mine = newObjectId();
    const theirs = newObjectId();
    const created = await notes.insert(mine, { id: newObjectId(), title: "planted?", workspaceId: theirs });
    expect(created.workspaceId).toBe(mine);
    expect(await rowsOf(theirs)).toEqual([]);
    expect(await rowsOf(mine)).toEqual([{ id: created.id, title: "planted?" }]);
  });

  test("update touches updatedAt and reports how many rows changed", async () => {
    const workspaceId = newObjectId();
    const note = await notes.insert(workspaceId, { id: newObjectId(), title: "draft" });
    const before = (await notes.findById(workspaceId, note.id))!;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await notes.update(workspaceId, { id: note.id }, { title: "final" })).toBe(1);
    const after = (await notes.findById(workspaceId, note.id))!;
    expect(after.title).toBe("final");
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(after.createdAt).toEqual(before.createdAt);
  });

  test("findByIds with no ids returns nothing without a query", async () => {
    expect(await notes.findByIds(newObjectId(), [])).toEqual([]);
  });

  test("withManager works inside a transaction, which rolls back as one", async () => {
    const workspaceId = newObjectId();
    const kept = newObjectId();
    const dropped = newObjectId();
    await dataSource.transaction((manager) => notes.withManager(manager).insert(workspaceId, { id: kept, title: "kept" }));
    await expect(
      dataSource.transaction(async (manager) => {
        const inTx = notes.withManager(manager);
        await inTx.insert(workspaceId, { id: dropped, title: "dropped" });
        expect(await inTx.count(workspaceId)).toBe(2); // the transaction sees its own write
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(sortedIds(await notes.find(workspaceId))).toEqual([kept]);
  });
});
