import type { EntityManager, EntityTarget } from "typeorm";
import { paginate, type ListParams, type Pagination } from "../database/list-query";
import { runSql } from "../database/sql";
import { WorkspaceRepository } from "../database/workspace-repository";
import { newObjectId } from "../ids/object-id";
import type { ClaimedJob } from "./job-runner";
import { ImportErrorEntity, type ExportJobColumns, type ImportJobColumns } from "./job-entities";

/** A row an import refused. */
export interface NewImportError {
  rowNumber: number;
  columnName: string;
  message: string;
  data: string;
}

const JOB_LIST = { sortable: { createdAt: "j.created_at" }, tieBreaker: "j.id" };

/**
 * The import and export jobs of one service (tables of {@link jobTablesSql} in `schema`), one
 * workspace at a time, plus the runner's cross-workspace claim. `I` and `E` are the service's
 * job entities (the kit's columns and its own).
 */
export class JobRepository<I extends ImportJobColumns, E extends ExportJobColumns> {
  private readonly imports: WorkspaceRepository<I>;
  private readonly exports: WorkspaceRepository<E>;
  private readonly errors: WorkspaceRepository<ImportErrorEntity>;

  constructor(
    private readonly manager: EntityManager,
    private readonly schema: string,
    importEntity: EntityTarget<I>,
    exportEntity: EntityTarget<E>,
  ) {
    this.imports = new WorkspaceRepository(importEntity, manager);
    this.exports = new WorkspaceRepository(exportEntity, manager);
    this.errors = new WorkspaceRepository(ImportErrorEntity, manager);
  }

  private table(name: "import_jobs" | "export_jobs" | "export_chunks"): string {
    return `"${this.schema}"."${name}"`;
  }

  insertImport(workspaceId: string, job: Partial<I>): Promise<I> {
    return this.imports.insert(workspaceId, job as never);
  }

  findImport(workspaceId: string, id: string): Promise<I | null> {
    return this.imports.findById(workspaceId, id);
  }

  /** The stored CSV of an import (not loaded with the job). */
  async importContent(workspaceId: string, id: string): Promise<string> {
    const { rows } = await runSql<{ content: string }>(this.manager, `SELECT "content" FROM ${this.table("import_jobs")} WHERE "workspace_id" = $1 AND "id" = $2`, [workspaceId, id]);
    return rows[0]?.content ?? "";
  }

  /** Newest first. */
  listImports(workspaceId: string, params: ListParams): Promise<{ items: I[]; pagination: Pagination }> {
    return paginate(this.imports.query(workspaceId, "j"), params, JOB_LIST);
  }

  async updateImport(workspaceId: string, id: string, patch: Partial<I>): Promise<void> {
    await this.imports.update(workspaceId, { id } as never, patch as never);
  }

  /** Adds a batch's counts and moves the checkpoint, in the batch's transaction. */
  async advanceImport(workspaceId: string, id: string, delta: { rows: number; created: number; updated: number; errors: number }): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE ${this.table("import_jobs")} SET "processed_rows" = "processed_rows" + $3, "created_count" = "created_count" + $4,
              "updated_count" = "updated_count" + $5, "error_count" = "error_count" + $6, "heartbeat_at" = now(), "updated_at" = now()
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, id, delta.rows, delta.created, delta.updated, delta.errors],
    );
  }

  async addImportErrors(workspaceId: string, jobId: string, errors: readonly NewImportError[]): Promise<void> {
    if (errors.length === 0) return;
    await this.manager.getRepository(ImportErrorEntity).insert(
      errors.map((e) => ({ id: newObjectId(), workspaceId, jobId, rowNumber: e.rowNumber, columnName: e.columnName.slice(0, 200), message: e.message.slice(0, 1000), data: e.data })),
    );
  }

  importErrors(workspaceId: string, jobId: string): Promise<ImportErrorEntity[]> {
    return this.errors.find(workspaceId, { jobId }, { order: { rowNumber: "ASC", id: "ASC" } });
  }

  insertExport(workspaceId: string, job: Partial<E>): Promise<E> {
    return this.exports.insert(workspaceId, job as never);
  }

  findExport(workspaceId: string, id: string): Promise<E | null> {
    return this.exports.findById(workspaceId, id);
  }

  /** Newest first. */
  listExports(workspaceId: string, params: ListParams): Promise<{ items: E[]; pagination: Pagination }> {
    return paginate(this.exports.query(workspaceId, "j"), params, JOB_LIST);
  }

  async updateExport(workspaceId: string, id: string, patch: Partial<E>): Promise<void> {
    await this.exports.update(workspaceId, { id } as never, patch as never);
  }

  /** Appends one chunk of CSV and moves the checkpoint, in one transaction with the caller. */
  async appendExportChunk(workspaceId: string, jobId: string, content: string, rows: number, lastId: string): Promise<void> {
    await runSql(
      this.manager,
      `INSERT INTO ${this.table("export_chunks")} ("workspace_id", "job_id", "seq", "content")
       SELECT $1::varchar, $2::varchar, coalesce(max("seq"), 0) + 1, $3::text FROM ${this.table("export_chunks")} WHERE "job_id" = $2::varchar`,
      [workspaceId, jobId, content],
    );
    await runSql(
      this.manager,
      `UPDATE ${this.table("export_jobs")} SET "exported_rows" = "exported_rows" + $3, "size_bytes" = "size_bytes" + $4, "last_id" = $5,
              "heartbeat_at" = now(), "updated_at" = now()
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, jobId, rows, Buffer.byteLength(content), lastId],
    );
  }

  /** The whole CSV of an export, its chunks in order. */
  async exportContent(workspaceId: string, jobId: string): Promise<string> {
    const { rows } = await runSql<{ content: string }>(
      this.manager,
      `SELECT "content" FROM ${this.table("export_chunks")} WHERE "workspace_id" = $1 AND "job_id" = $2 ORDER BY "seq"`,
      [workspaceId, jobId],
    );
    return rows.map((r) => r.content).join("");
  }

  /**
   * The job runner's claim, across workspaces by design: the oldest queued job, or a running one
   * whose heartbeat is older than `staleMs` (its runner stopped). SKIP LOCKED lets replicas claim
   * different jobs.
   */
  async claim(kind: "import" | "export", staleMs: number): Promise<ClaimedJob | undefined> {
    const table = this.table(kind === "import" ? "import_jobs" : "export_jobs");
    const { rows } = await runSql<{ workspace_id: string; id: string; attempts: number }>(
      this.manager,
      `UPDATE ${table} AS j SET "status" = 'running', "heartbeat_at" = now(), "attempts" = j."attempts" + 1,
              ${kind === "import" ? `"started_at" = coalesce(j."started_at", now()),` : ""} "updated_at" = now()
        WHERE j."id" = (
          SELECT "id" FROM ${table}
           WHERE "status" = 'queued' OR ("status" = 'running' AND "heartbeat_at" < now() - make_interval(secs => $1::double precision / 1000))
           ORDER BY "created_at" LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING j."workspace_id", j."id", j."attempts"`,
      [staleMs],
    );
    const row = rows[0];
    return row ? { workspaceId: row.workspace_id, id: row.id, attempts: row.attempts } : undefined;
  }
}
