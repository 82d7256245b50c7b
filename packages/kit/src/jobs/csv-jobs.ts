import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { ValidationError } from "../errors/service-error";
import { JobInterrupted } from "./job-runner";
import type { ImportErrorEntity } from "./job-entities";

/** One data row of an import: its number (1 is the first after the header) and its cells. */
export interface CsvRow {
  rowNumber: number;
  cells: string[];
}

/** The trimmed header of a CSV; a file that is not CSV or has no header is a 422 on `path`. */
export function readCsvHeader(content: string, path = "csv"): string[] {
  let records: string[][];
  try {
    records = parseSync(content, { to_line: 1, bom: true, relax_column_count: true }) as string[][];
  } catch (error) {
    throw new ValidationError([{ path, message: `is not CSV: ${(error as Error).message}` }]);
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  if (header.length === 0 || header.every((h) => h === "")) throw new ValidationError([{ path, message: "has no header line" }]);
  return header;
}

/**
 * Stream-parses a stored CSV and hands its data rows to `onBatch`, `batchRows` at a time, skipping
 * the first `skipRows` (the job's checkpoint). Memory holds one batch. Between batches, a true
 * `shouldStop` throws {@link JobInterrupted}. Answers the header.
 */
export async function readCsvBatches(
  content: string,
  options: { skipRows: number; batchRows: number; shouldStop?: () => boolean },
  onBatch: (header: string[], rows: CsvRow[]) => Promise<void>,
): Promise<string[] | undefined> {
  const parser = Readable.from([content]).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | undefined;
  let rowNumber = 0;
  let batch: CsvRow[] = [];
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record.map((h) => h.trim());
      continue;
    }
    rowNumber++;
    if (rowNumber <= options.skipRows) continue;
    batch.push({ rowNumber, cells: record });
    if (batch.length >= options.batchRows) {
      await onBatch(header, batch);
      batch = [];
      if (options.shouldStop?.()) throw new JobInterrupted();
    }
  }
  if (header && batch.length > 0) await onBatch(header, batch);
  return header;
}

/** A row's cells as one CSV line (how a refused row is kept). */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells]).trimEnd();
}

/** An import's refused rows as CSV: row, column, message, data. */
export function importErrorsToCsv(errors: readonly ImportErrorEntity[]): string {
  return stringify([["row", "column", "message", "data"], ...errors.map((e) => [e.rowNumber, e.columnName, e.message, e.data])]);
}

/**
 * Writes (or resumes) an export: rows are read in id order after the checkpoint `lastId`, one chunk
 * of CSV (the header first) per `append`, which stores it with the new checkpoint in one
 * transaction. An export with no rows is the header alone. Memory holds one page.
 */
export async function exportCsvInChunks<T extends { id: string }>(options: {
  header: readonly string[];
  lastId: string | null;
  pageRows: number;
  page(afterId: string | null, limit: number): Promise<T[]>;
  row(item: T): unknown[];
  append(content: string, rows: number, lastId: string): Promise<void>;
  shouldStop?: () => boolean;
}): Promise<void> {
  let lastId = options.lastId;
  for (;;) {
    const page = await options.page(lastId, options.pageRows);
    if (page.length === 0) break;
    const rows = page.map(options.row);
    const content = stringify(lastId === null ? [[...options.header], ...rows] : rows);
    const pageLastId = page[page.length - 1]!.id;
    await options.append(content, page.length, pageLastId);
    lastId = pageLastId;
    if (options.shouldStop?.()) throw new JobInterrupted();
  }
  if (lastId === null) await options.append(stringify([[...options.header]]), 0, "");
}
