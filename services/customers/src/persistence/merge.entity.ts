import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** The audit record of one merge. */
@Entity({ name: "merges" })
export class MergeEntity extends WorkspaceEntity {
  @Column("varchar", { name: "target_id", length: 24 })
  targetId: string;

  @Column("text", { name: "source_ids", array: true })
  sourceIds: string[];

  /** The sources as Customer messages in proto3 JSON, as they were just before the merge. */
  @Column("jsonb")
  sources: unknown[];

  @Column("integer", { name: "moved_notes", default: 0 })
  movedNotes: number;

  @Column("varchar", { name: "merged_by", length: 64, nullable: true })
  mergedBy: string | null;
}
