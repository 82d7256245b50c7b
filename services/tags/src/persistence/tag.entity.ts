import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "tags" })
export class TagEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  /** The name folded for uniqueness and sorting (trimmed, NFC, lower case); unique per workspace. */
  @Column("varchar", { name: "name_key", length: 100 })
  nameKey: string;

  @Column("varchar", { length: 7 })
  color: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  /** Entity types the tag applies to; empty means all. */
  @Column("text", { name: "entity_types", array: true, default: () => "'{}'" })
  entityTypes: string[];

  /** Number of entities carrying the tag, kept in the same transactions as attachments. */
  @Column("integer", { name: "usage_count", default: 0 })
  usageCount: number;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
