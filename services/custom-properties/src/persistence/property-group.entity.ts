import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "property_groups" })
export class PropertyGroupEntity extends WorkspaceEntity {
  @Column("varchar", { name: "entity_type", length: 32 })
  entityType: string;

  @Column("varchar", { length: 100 })
  name: string;

  /** The name folded for uniqueness (trimmed, lower case); unique per workspace and entity type. */
  @Column("varchar", { name: "name_key", length: 100 })
  nameKey: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  @Column("integer", { default: 0 })
  position: number;
}
