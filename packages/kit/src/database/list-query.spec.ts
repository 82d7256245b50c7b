import { status } from "@grpc/grpc-js";
import type { DataSource } from "typeorm";
import { ServiceError, ValidationError } from "../errors/service-error";
import { newObjectId } from "../ids/object-id";
import { runMigrations } from "./data-source";
import { escapeLike, pageOf, paginate, resolveListParams, type ListParams, type ListSpec } from "./list-query";
import { createNotesDataSource, dropSchema, NoteEntity, uniqueSchema } from "./notes.fixture";
import { WorkspaceRepository } from "./workspace-repository";

const SPEC: ListSpec = {
  sortable: { createdAt: "n.created_at", title: "n.title", rank: "n.rank" },
  searchable: ["n.title", "n.body"],
  tieBreaker: "n.id",
};

/** The violations a call threw as a ValidationError. */
function violationsOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("resolveListParams", () => {
  test.each<[string, ListParams, ListSpec, ReturnType<typeof resolveListParams>]>([
    ["defaults for an empty request", {}, SPEC, { page: 1, limit: 20, search: "", sortBy: "createdAt", sortOrder: "DESC" }],
    [
      "defaults for proto3 zero values",
      { page: 0, limit: 0, search: "", sortBy: "", sortOrder: "" },
      SPEC,
      { page: 1, limit: 20, search: "", sortBy: "createdAt", sortOrder: "DESC" },
    ],
    ["the spec's default sort", {}, { ...SPEC, defaultSortBy: "title" }, { page: 1, limit: 20, search: "", sortBy: "title", sortOrder: "DESC" }],
    [
      "given values",
      { page: 3, limit: 100, search: "  vip ", sortBy: "rank", sortOrder: "asc" },
      SPEC,
      { page: 3, limit: 100, search: "vip", sortBy: "rank", sortOrder: "ASC" },
    ],
    ["a sort order in any case", { sortOrder: "DeSc" }, SPEC, { page: 1, limit: 20, search: "", sortBy: "createdAt", sortOrder: "DESC" }],
  ])("applies %s", (_, params, spec, expected) => {
    expect(resolveListParams(params, spec)).toEqual(expected);
  });

  test.each<[string, ListParams, { path: string; message: string }[]]>([
    ["a limit above 100", { limit: 101 }, [{ path: "limit", message: "must be between 1 and 100" }]],
    ["a negative limit", { limit: -5 }, [{ path: "limit", message: "must be between 1 and 100" }]],
    ["a negative page", { page: -1 }, [{ path: "page", message: "must be at least 1" }]],
    ["a fractional page", { page: 1.5 }, [{ path: "page", message: "must be at least 1" }]],
    ["a sortBy outside the whitelist", { sortBy: "body" }, [{ path: "sortBy", message: "must be one of: createdAt, title, rank" }]],
    ["SQL as sortBy", { sortBy: "n.id; DROP TABLE notes" }, [{ path: "sortBy", message: "must be one of: createdAt, title, rank" }]],
    ["an unknown sortOrder", { sortOrder: "up" }, [{ path: "sortOrder", message: "must be one of: asc, desc" }]],
    [
      "every bad parameter at once",
      { page: -2, limit: 1000, sortBy: "body", sortOrder: "sideways" },
      [
        { path: "page", message: "must be at least 1" },
        { path: "limit", message: "must be between 1 and 100" },
        { path: "sortBy", message: "must be one of: createdAt, title, rank" },
        { path: "sortOrder", message: "must be one of: asc, desc" },
      ],
    ],
  ])("refuses %s, naming the parameter", (_, params, violations) => {
    expect(violationsOf(() => resolveListParams(params, SPEC))).toEqual(violations);
  });

  test("refuses the default sort when the whitelist lacks it", () => {
    expect(violationsOf(() => resolveListParams({}, { sortable: { name: "t.name" }, tieBreaker: "t.id" }))).toEqual([
      { path: "sortBy", message: "must be one of: name" },
    ]);
  });
});

describe("pageOf", () => {
  test.each([
    [1, 20, 0, 0],
    [1, 20, 1, 1],
    [2, 20, 40, 2],
    [1, 20, 41, 3],
    [5, 100, 1000, 10],
  ])("page %i of %i with %i items has %i pages", (page, limit, total, totalPages) => {
    expect(pageOf({ page, limit }, total)).toEqual({ page, limit, total, totalPages });
  });
});

describe("escapeLike", () => {
  test.each([
    ["plain", "plain"],
    ["50%", "50\\%"],
    ["a_b", "a\\_b"],
    ["back\\slash", "back\\\\slash"],
    ["%_\\", "\\%\\_\\\\"],
  ])("%j → %j", (text, escaped) => {
    expect(escapeLike(text)).toBe(escaped);
  });
});

describe("paginate", () => {
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

  /** Inserts notes into a new workspace and returns it with the notes as stored. */
  async function seed(rows: Partial<NoteEntity>[]): Promise<{ workspaceId: string; rows: NoteEntity[] }> {
    const workspaceId = newObjectId();
    const inserted: NoteEntity[] = [];
    for (const row of rows) inserted.push(await notes.insert(workspaceId, { id: newObjectId(), title: "note", ...row }));
    return { workspaceId, rows: await notes.find(workspaceId) };
  }

  const list = (workspaceId: string, params: ListParams, spec = SPEC) => paginate(notes.query(workspaceId, "n"), params, spec);
  const titles = (items: NoteEntity[]) => items.map((n) => n.title);

  async function allPages(workspaceId: string, params: ListParams): Promise<NoteEntity[]> {
    const items: NoteEntity[] = [];
    for (let page = 1; ; page++) {
      const result = await list(workspaceId, { ...params, page });
      items.push(...result.items);
      if (page >= result.pagination.totalPages) return items;
    }
  }

  test("returns pages with total and totalPages", async () => {
    const { workspaceId, rows } = await seed(Array.from({ length: 7 }, (_, i) => ({ title: `note ${i}` })));
    const pages = await Promise.all([1, 2, 3, 4].map((page) => list(workspaceId, { page, limit: 3 })));
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1, 0]);
    expect(pages.map((p) => p.pagination)).toEqual([1, 2, 3, 4].map((page) => ({ page, limit: 3, total: 7, totalPages: 3 })));
    const seen = pages.flatMap((p) => p.items.map((n) => n.id));
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual(rows.map((n) => n.id).sort());
  });

  test("sorts by createdAt, newest first, by default", async () => {
    const t = Date.UTC(2026, 0, 1);
    const { workspaceId } = await seed([
      { title: "b", createdAt: new Date(t + 1000) },
      { title: "a", createdAt: new Date(t) },
      { title: "c", createdAt: new Date(t + 2000) },
    ]);
    expect(titles((await list(workspaceId, {})).items)).toEqual(["c", "b", "a"]);
    expect(titles((await list(workspaceId, { sortOrder: "asc" })).items)).toEqual(["a", "b", "c"]);
  });

  test("sorts by a whitelisted field both ways", async () => {
    const { workspaceId } = await seed([{ title: "pear" }, { title: "apple" }, { title: "fig" }]);
    expect(titles((await list(workspaceId, { sortBy: "title", sortOrder: "asc" })).items)).toEqual(["apple", "fig", "pear"]);
    expect(titles((await list(workspaceId, { sortBy: "title", sortOrder: "desc" })).items)).toEqual(["pear", "fig", "apple"]);
  });

  test.each([
    ["asc", 1],
    ["desc", -1],
  ])("breaks ties on the tie-breaker so pages neither overlap nor skip (%s)", async (sortOrder, direction) => {
    const ranks = [5, 1, 5, 5, 9, 5, 5, 1, 5, 5, 5];
    const { workspaceId, rows } = await seed(ranks.map((rank, i) => ({ title: `n${i}`, rank })));
    const expected = [...rows].sort((a, b) => direction * (a.rank - b.rank || (a.id < b.id ? -1 : 1))).map((n) => n.id);
    const paged = await allPages(workspaceId, { sortBy: "rank", sortOrder, limit: 3 });
    expect(paged.map((n) => n.id)).toEqual(expected);
    // The same page twice comes back the same.
    const again = await list(workspaceId, { sortBy: "rank", sortOrder, limit: 3, page: 2 });
    expect(again.items.map((n) => n.id)).toEqual(expected.slice(3, 6));
  });

  test("refuses a sort outside the whitelist before running SQL", async () => {
    const { workspaceId } = await seed([{ title: "kept" }]);
    await expect(list(workspaceId, { sortBy: 'n.id; DROP TABLE "notes"' })).rejects.toBeInstanceOf(ValidationError);
    await expect(list(workspaceId, { limit: 101 })).rejects.toMatchObject({ violations: [{ path: "limit", message: "must be between 1 and 100" }] });
    expect(titles((await list(workspaceId, {})).items)).toEqual(["kept"]);
  });

  test.each([
    ["a % in the text", "50%", ["50% off"]],
    ["a _ in the text", "a_b", ["a_b"]],
    ["a backslash in the text", "k\\s", ["back\\slash"]],
    ["any case", "OFF", ["50% off"]],
    ["surrounding spaces", "  percent  ", ["50 percent"]],
    ["the body column", "hidden", ["plain"]],
    ["a word in several rows", "50", ["50 percent", "50% off"]],
    ["text nowhere", "zzz", []],
  ])("searches with ILIKE, matching %s literally", async (_, search, expected) => {
    const { workspaceId } = await seed([
      { title: "50% off" },
      { title: "50 percent" },
      { title: "a_b" },
      { title: "axb" },
      { title: "back\\slash" },
      { title: "backslash" },
      { title: "plain", body: "a HIDDEN word" },
    ]);
    const result = await list(workspaceId, { search, sortBy: "title", sortOrder: "asc" });
    expect(titles(result.items)).toEqual(expected);
    expect(result.pagination).toEqual({ page: 1, limit: 20, total: expected.length, totalPages: expected.length > 0 ? 1 : 0 });
  });

  test("ignores the search when the spec declares no searchable columns", async () => {
    const { workspaceId } = await seed([{ title: "one" }, { title: "two" }]);
    const result = await list(workspaceId, { search: "one" }, { ...SPEC, searchable: undefined });
    expect(result.pagination.total).toBe(2);
  });

  test("keeps the workspace scope and the caller's filters", async () => {
    const mine = await seed([{ title: "shared title", rank: 1 }, { title: "shared title", rank: 2 }, { title: "other", rank: 3 }]);
    const theirs = await seed([{ title: "shared title", rank: 3 }]);
    const query = notes.query(mine.workspaceId, "n").andWhere("n.rank >= :minRank", { minRank: 2 });
    const result = await paginate(query, { search: "shared" }, SPEC);
    expect(result.items.map((n) => [n.workspaceId, n.rank])).toEqual([[mine.workspaceId, 2]]);
    expect(result.pagination.total).toBe(1);
    expect((await list(theirs.workspaceId, {})).pagination.total).toBe(1);
  });

  test("throws ValidationErrors as ServiceErrors the caller receives as INVALID_ARGUMENT", async () => {
    const error = await list(newObjectId(), { sortOrder: "up" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });
});
