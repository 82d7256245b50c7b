import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

export type JobState = "queued" | "running" | "completed" | "failed";

/** One column → field pair of an import. */
export interface StoredMapping {
  column: string;
  field: string;
}

@Entity({ name: "import_jobs" })
export class ImportJobEntity extends WorkspaceEntity {
  @Column("varchar", { length: 16 })
  status: JobState;

  @Column("varchar", { name: "match_by", length: 8 })
  matchBy: "email" | "phone";

  @Column("boolean", { name: "dry_run", default: false })
  dryRun: boolean;

  @Column("jsonb")
  mapping: StoredMapping[];

  /** The uploaded CSV. Read again from the checkpoint when a job resumes. */
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

@Entity({ name: "export_jobs" })
export class ExportJobEntity extends WorkspaceEntity {
  @Column("varchar", { length: 16 })
  status: JobState;

  @Column("varchar", { name: "segment_id", length: 24, nullable: true })
  segmentId: string | null;

  /** A CustomerFilter in proto3 JSON. */
  @Column("jsonb", { default: () => "'{}'" })
  filter: Record<string, unknown>;

  @Column("integer", { name: "exported_rows", default: 0 })
  exportedRows: number;

  @Column("integer", { name: "total_rows", default: 0 })
  totalRows: number;

  /** The id of the last customer written: the keyset checkpoint a resumed job continues after. */
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
