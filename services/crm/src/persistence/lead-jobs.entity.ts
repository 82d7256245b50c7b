import { Column, Entity } from "typeorm";
import { ExportJobColumns, ImportJobColumns } from "@velaflows/kit";

/** One column → field pair of a leads import. */
export interface StoredLeadMapping {
  column: string;
  field: string;
}

/** The filters of a leads export, as given. */
export interface StoredLeadExportFilter {
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  status?: string;
}

/** A leads import: the kit's job columns, the pipeline rows enter, how columns map, the upsert key. */
@Entity({ name: "import_jobs" })
export class LeadImportJobEntity extends ImportJobColumns {
  @Column("varchar", { name: "pipeline_id", length: 24 })
  pipelineId: string;

  /** "email", "phone", or "" when every row creates a lead. */
  @Column("varchar", { name: "upsert_key", length: 8, default: "" })
  upsertKey: "" | "email" | "phone";

  @Column("jsonb")
  mapping: StoredLeadMapping[];
}

/** A leads export: the kit's job columns and its filters. */
@Entity({ name: "export_jobs" })
export class LeadExportJobEntity extends ExportJobColumns {
  @Column("jsonb", { default: () => "'{}'" })
  filter: StoredLeadExportFilter;
}
