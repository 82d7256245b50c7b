import { exportCsvInChunks, readCsvBatches, readCsvHeader, type CsvRow } from "./csv-jobs";
import { JobInterrupted } from "./job-runner";

const CSV = 'name,city\nAna,Porto\n"Bo, Jr.",Lyon\n\nCy,Oslo\nDi,Rome\nEd,Kyiv\n';

async function batchesOf(content: string, skipRows: number, batchRows: number, shouldStop?: () => boolean) {
  const batches: CsvRow[][] = [];
  const header = await readCsvBatches(content, { skipRows, batchRows, shouldStop }, async (_, rows) => {
    batches.push(rows);
  });
  return { header, batches };
}

test("hands the data rows over in batches, numbered from 1 after the header, skipping empty lines", async () => {
  const { header, batches } = await batchesOf(CSV, 0, 2);
  expect(header).toEqual(["name", "city"]);
  expect(batches.map((b) => b.map((r) => [r.rowNumber, r.cells[0]]))).toEqual([
    [
      [1, "Ana"],
      [2, "Bo, Jr."],
    ],
    [
      [3, "Cy"],
      [4, "Di"],
    ],
    [[5, "Ed"]],
  ]);
});

test("resumes after the checkpoint, and stops between batches when asked", async () => {
  const { batches } = await batchesOf(CSV, 3, 10);
  expect(batches.flat().map((r) => r.rowNumber)).toEqual([4, 5]);
  const seen: number[] = [];
  await expect(
    readCsvBatches(CSV, { skipRows: 0, batchRows: 2, shouldStop: () => seen.length >= 2 }, async (_, rows) => {
      seen.push(...rows.map((r) => r.rowNumber));
    }),
  ).rejects.toBeInstanceOf(JobInterrupted);
  expect(seen).toEqual([1, 2]);
});

test("a header is required and the file must be CSV (422 on the given path)", () => {
  expect(readCsvHeader(" name , city \n1,2")).toEqual(["name", "city"]);
  expect(() => readCsvHeader("", "file")).toThrow(expect.objectContaining({ violations: [{ path: "file", message: "has no header line" }] }));
  expect(() => readCsvHeader('"open\n', "csv")).toThrow(expect.objectContaining({ violations: [{ path: "csv", message: expect.stringMatching(/^is not CSV/) }] }));
});

describe("exportCsvInChunks", () => {
  const items = ["a1", "a2", "a3"].map((id) => ({ id, name: `n-${id}` }));
  async function run(lastId: string | null) {
    const chunks: { content: string; rows: number; lastId: string }[] = [];
    await exportCsvInChunks({
      header: ["id", "name"],
      lastId,
      pageRows: 2,
      page: async (afterId, limit) => items.filter((i) => afterId === null || i.id > afterId).slice(0, limit),
      row: (i) => [i.id, i.name],
      append: async (content, rows, last) => {
        chunks.push({ content, rows, lastId: last });
      },
    });
    return chunks;
  }

  test("writes the header with the first chunk and moves the checkpoint with each", async () => {
    expect(await run(null)).toEqual([
      { content: "id,name\na1,n-a1\na2,n-a2\n", rows: 2, lastId: "a2" },
      { content: "a3,n-a3\n", rows: 1, lastId: "a3" },
    ]);
  });

  test("resumes after the checkpoint without a second header", async () => {
    expect(await run("a2")).toEqual([{ content: "a3,n-a3\n", rows: 1, lastId: "a3" }]);
  });
});
