import type { EntityManager } from "typeorm";
import { newObjectId, paginate, runSql, WorkspaceRepository, type ListParams, type Pagination } from "@velaflows/kit";
import { ExportJobEntity, ImportErrorEntity, ImportJobEntity } from "./jobs.entity";

/** A row an import refused. */
export interface NewImportError {
  rowNumber: number;
  columnName: string;
  message: string;
  data: string;
}

const JOB_LIST = { sortable: { createdAt: "j.created_at" }, tieBreaker: "j.id" };

/** Import and export jobs of one workspace at a time, plus the runner's cross-workspace claim. */
export class JobRepository {
  private readonly imports: WorkspaceRepository<ImportJobEntity>;
  private readonly exports: WorkspaceRepository<ExportJobEntity>;
  private readonly errors: WorkspaceRepository<ImportErrorEntity>;

  constructor(private readonly manager: EntityManager) {
    this.imports = new WorkspaceRepository(ImportJobEntity, manager);
    this.exports = new WorkspaceRepository(ExportJobEntity, manager);
    this.errors = new WorkspaceRepository(ImportErrorEntity, manager);
  }

  insertImport(workspaceId: string, job: Partial<ImportJobEntity>): Promise<ImportJobEntity> {
    return this.imports.insert(workspaceId, job);
  }

  findImport(workspaceId: string, id: string): Promise<ImportJobEntity | null> {
    return this.imports.findById(workspaceId, id);
  }

  /** The stored CSV of an import (not loaded with the job). */
  async importContent(workspaceId: string, id: string): Promise<string> {
    const { rows } = await runSql<{ content: string }>(this.manager, `SELECT "content" FROM "customers"."import_jobs" WHERE "workspace_id" = $1 AND "id" = $2`, [workspaceId, id]);
    return rows[0]?.content ?? "";
  }

  listImports(workspaceId: string, params: ListParams): Promise<{ items: ImportJobEntity[]; pagination: Pagination }> {
    return paginate(this.imports.query(workspaceId, "j"), params, JOB_LIST);
  }

  async updateImport(workspaceId: string, id: string, patch: Partial<ImportJobEntity>): Promise<void> {
    await this.imports.update(workspaceId, { id }, patch as never);
  }

  /** Adds a batch's counts and moves the checkpoint, in the batch's transaction. */
  async advanceImport(workspaceId: string, id: string, delta: { rows: number; created: number; updated: number; errors: number }): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "customers"."import_jobs" SET "processed_rows" = "processed_rows" + $3, "created_count" = "created_count" + $4,
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

  insertExport(workspaceId: string, job: Partial<ExportJobEntity>): Promise<ExportJobEntity> {
    return this.exports.insert(workspaceId, job);
  }

  findExport(workspaceId: string, id: string): Promise<ExportJobEntity | null> {
    return this.exports.findById(workspaceId, id);
  }

  listExports(workspaceId: string, params: ListParams): Promise<{ items: ExportJobEntity[]; pagination: Pagination }> {
    return paginate(this.exports.query(workspaceId, "j"), params, JOB_LIST);
  }

  async updateExport(workspaceId: string, id: string, patch: Partial<ExportJobEntity>): Promise<void> {
    await this.exports.update(workspaceId, { id }, patch as never);
  }

  /** Appends one chunk of CSV and moves the checkpoint, in one transaction with the caller. */
  async appendExportChunk(workspaceId: string, jobId: string, content: string, rows: number, lastId: string): Promise<void> {
    await runSql(
      this.manager,
      `INSERT INTO "customers"."export_chunks" ("workspace_id", "job_id", "seq", "content")
       SELECT $1::varchar, $2::varchar, coalesce(max("seq"), 0) + 1, $3::text FROM "customers"."export_chunks" WHERE "job_id" = $2::varchar`,
      [workspaceId, jobId, content],
    );
    await runSql(
      this.manager,
      `UPDATE "customers"."export_jobs" SET "exported_rows" = "exported_rows" + $3, "size_bytes" = "size_bytes" + $4, "last_id" = $5,
              "heartbeat_at" = now(), "updated_at" = now()
        WHERE "workspace_id" = $1 AND "id" = $2`,
      [workspaceId, jobId, rows, Buffer.byteLength(content), lastId],
    );
  }

  async exportContent(workspaceId: string, jobId: string): Promise<string> {
    const { rows } = await runSql<{ content: string }>(
      this.manager,
      `SELECT "content" FROM "customers"."export_chunks" WHERE "workspace_id" = $1 AND "job_id" = $2 ORDER BY "seq"`,
      [workspaceId, jobId],
    );
    return rows.map((r) => r.content).join("");
  }

  /**
   * The job runner's claim, across workspaces by design: the oldest queued job, or a running one
   * whose heartbeat is older than `staleMs` (its runner stopped). SKIP LOCKED lets replicas claim
   * different jobs. Returns the claimed job's workspace and id.
   */
  async claim(kind: "import" | "export", staleMs: number): Promise<{ workspaceId: string; id: string; attempts: number } | undefined> {
    const table = kind === "import" ? "import_jobs" : "export_jobs";
    const { rows } = await runSql<{ workspace_id: string; id: string; attempts: number }>(
      this.manager,
      `UPDATE "customers"."${table}" AS j SET "status" = 'running', "heartbeat_at" = now(), "attempts" = j."attempts" + 1,
              ${kind === "import" ? `"started_at" = coalesce(j."started_at", now()),` : ""} "updated_at" = now()
        WHERE j."id" = (
          SELECT "id" FROM "customers"."${table}"
           WHERE "status" = 'queued' OR ("status" = 'running' AND "heartbeat_at" < now() - make_interval(secs => $1::double precision / 1000))
           ORDER BY "created_at" LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING j."workspace_id", j."id", j."attempts"`,
      [staleMs],
    );
    const row = rows[0];
    return row ? { workspaceId: row.workspace_id, id: row.id, attempts: row.attempts } : undefined;
  }
}
