import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "../database/workspace-entity";

export type JobState = "queued" | "running" | "completed" | "failed";

/**
 * The columns of a service's `import_jobs` table that the kit's job machinery reads and writes
 * (state, checkpoint, counts, heartbeat). A service's entity extends it with what its imports
 * need (mapping, match key, ...); {@link JOB_TABLES_SQL} creates the table.
 */
export abstract class ImportJobColumns extends WorkspaceEntity {
  @Column("varchar", { length: 16 })
  status: JobState;

  @Column("boolean", { name: "dry_run", default: false })
  dryRun: boolean;

  /** The uploaded CSV. Read again from the checkpoint when a job resumes; emptied when it finishes. */
  @Column("text", { select: false })
  content: string;

  @Column("varchar", { name: "file_name", length: 255, default: "" })
  fileName: string;

  @Column("integer", { name: "size_bytes" })
  sizeBytes: number;

  /** Data rows done: the checkpoint, committed with each batch's writes. */
  @Column("integer", { name: "processed_rows", default: 0 })
  processedRows: number;

  @Column("integer", { name: "created_count", default: 0 })
  createdCount: number;

  @Column("integer", { name: "updated_count", default: 0 })
  updatedCount: number;

  @Column("integer", { name: "error_count", default: 0 })
  errorCount: number;

  @Column("varchar", { length: 1000, default: "" })
  error: string;

  @Column("integer", { default: 0 })
  attempts: number;

  @Column({ type: "timestamptz", name: "heartbeat_at", precision: 3, nullable: true })
  heartbeatAt: Date | null;

  @Column({ type: "timestamptz", name: "started_at", precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ type: "timestamptz", name: "finished_at", precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}

/** One refused row of an import (the `import_errors` table, in the service's schema). */
@Entity({ name: "import_errors" })
export class ImportErrorEntity extends WorkspaceEntity {
  @Column("varchar", { name: "job_id", length: 24 })
  jobId: string;

  /** 1 is the first data row. */
  @Column("integer", { name: "row_number" })
  rowNumber: number;

  @Column("varchar", { name: "column_name", length: 200, default: "" })
  columnName: string;

  @Column("varchar", { length: 1000 })
  message: string;

  /** The row as read, re-encoded as one CSV line. */
  @Column("text", { default: "" })
  data: string;
}

/** The columns of a service's `export_jobs` table that the kit's job machinery reads and writes. */
export abstract class ExportJobColumns extends WorkspaceEntity {
  @Column("varchar", { length: 16 })
  status: JobState;

  @Column("integer", { name: "exported_rows", default: 0 })
  exportedRows: number;

  @Column("integer", { name: "total_rows", default: 0 })
  totalRows: number;

  /** The id of the last row written: the keyset checkpoint a resumed job continues after. */
  @Column("varchar", { name: "last_id", length: 24, nullable: true })
  lastId: string | null;

  @Column("integer", { name: "size_bytes", default: 0 })
  sizeBytes: number;

  @Column("varchar", { length: 1000, default: "" })
  error: string;

  @Column("integer", { default: 0 })
  attempts: number;

  @Column({ type: "timestamptz", name: "heartbeat_at", precision: 3, nullable: true })
  heartbeatAt: Date | null;

  @Column({ type: "timestamptz", name: "finished_at", precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}

/**
 * The DDL of the job tables in `schema`, for a service's hand-written migration: `import_jobs` and
 * `export_jobs` with the kit's columns plus the service's own (`importColumns`, `exportColumns`:
 * column definitions ending with a comma), `import_errors`, and `export_chunks` (the CSV of an
 * export, one chunk per batch). The same shape Customers created by hand in its first migration.
 */
export function jobTablesSql(schema: string, extra: { importColumns?: string; exportColumns?: string } = {}): string[] {
  const q = (table: string) => `"${schema}"."${table}"`;
  return [
    `CREATE TABLE ${q("import_jobs")} (
      "id" varchar(24) PRIMARY KEY,
      "workspace_id" varchar(24) NOT NULL,
      "status" varchar(16) NOT NULL,
      ${extra.importColumns ?? ""}
      "dry_run" boolean NOT NULL DEFAULT false,
      "content" text NOT NULL,
      "file_name" varchar(255) NOT NULL DEFAULT '',
      "size_bytes" integer NOT NULL,
      "processed_rows" integer NOT NULL DEFAULT 0,
      "created_count" integer NOT NULL DEFAULT 0,
      "updated_count" integer NOT NULL DEFAULT 0,
      "error_count" integer NOT NULL DEFAULT 0,
      "error" varchar(1000) NOT NULL DEFAULT '',
      "attempts" integer NOT NULL DEFAULT 0,
      "heartbeat_at" timestamptz(3),
      "started_at" timestamptz(3),
      "finished_at" timestamptz(3),
      "created_by" varchar(64),
      "created_at" timestamptz(3) NOT NULL DEFAULT now(),
      "updated_at" timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX "import_jobs_workspace_created" ON ${q("import_jobs")} ("workspace_id", "created_at", "id")`,
    `CREATE INDEX "import_jobs_pending" ON ${q("import_jobs")} ("created_at") WHERE "status" IN ('queued', 'running')`,
    `CREATE TABLE ${q("import_errors")} (
      "id" varchar(24) PRIMARY KEY,
      "workspace_id" varchar(24) NOT NULL,
      "job_id" varchar(24) NOT NULL REFERENCES ${q("import_jobs")} ("id") ON DELETE CASCADE,
      "row_number" integer NOT NULL,
      "column_name" varchar(200) NOT NULL DEFAULT '',
      "message" varchar(1000) NOT NULL,
      "data" text NOT NULL DEFAULT '',
      "created_at" timestamptz(3) NOT NULL DEFAULT now(),
      "updated_at" timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX "import_errors_job" ON ${q("import_errors")} ("workspace_id", "job_id", "row_number")`,
    `CREATE TABLE ${q("export_jobs")} (
      "id" varchar(24) PRIMARY KEY,
      "workspace_id" varchar(24) NOT NULL,
      "status" varchar(16) NOT NULL,
      ${extra.exportColumns ?? ""}
      "exported_rows" integer NOT NULL DEFAULT 0,
      "total_rows" integer NOT NULL DEFAULT 0,
      "last_id" varchar(24),
      "size_bytes" integer NOT NULL DEFAULT 0,
      "error" varchar(1000) NOT NULL DEFAULT '',
      "attempts" integer NOT NULL DEFAULT 0,
      "heartbeat_at" timestamptz(3),
      "finished_at" timestamptz(3),
      "created_by" varchar(64),
      "created_at" timestamptz(3) NOT NULL DEFAULT now(),
      "updated_at" timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX "export_jobs_workspace_created" ON ${q("export_jobs")} ("workspace_id", "created_at", "id")`,
    `CREATE INDEX "export_jobs_pending" ON ${q("export_jobs")} ("created_at") WHERE "status" IN ('queued', 'running')`,
    `CREATE TABLE ${q("export_chunks")} (
      "workspace_id" varchar(24) NOT NULL,
      "job_id" varchar(24) NOT NULL REFERENCES ${q("export_jobs")} ("id") ON DELETE CASCADE,
      "seq" integer NOT NULL,
      "content" text NOT NULL,
      PRIMARY KEY ("job_id", "seq")
    )`,
  ];
}
