import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "segments" })
export class SegmentEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  /** The name trimmed and lower-cased: unique per workspace. */
  @Column("varchar", { name: "name_key", length: 100 })
  nameKey: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  /** A CustomerFilter in proto3 JSON. */
  @Column("jsonb", { default: () => "'{}'" })
  filter: Record<string, unknown>;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
