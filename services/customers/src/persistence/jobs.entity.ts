import { Column, Entity } from "typeorm";
import { ExportJobColumns, ImportJobColumns } from "@velaflows/kit";

export { ImportErrorEntity, type JobState } from "@velaflows/kit";

/** One column → field pair of an import. */
export interface StoredMapping {
  column: string;
  field: string;
}

/** A customers import: the kit's job columns, and how rows map onto customers. */
@Entity({ name: "import_jobs" })
export class ImportJobEntity extends ImportJobColumns {
  @Column("varchar", { name: "match_by", length: 8 })
  matchBy: "email" | "phone";

  @Column("jsonb")
  mapping: StoredMapping[];
}

/** A customers export: the kit's job columns, and which customers it takes. */
@Entity({ name: "export_jobs" })
export class ExportJobEntity extends ExportJobColumns {
  @Column("varchar", { name: "segment_id", length: 24, nullable: true })
  segmentId: string | null;

  /** A CustomerFilter in proto3 JSON. */
  @Column("jsonb", { default: () => "'{}'" })
  filter: Record<string, unknown>;
}
