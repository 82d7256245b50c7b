import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "teams" })
export class TeamEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  /** The name folded for uniqueness (trimmed, lower case). */
  @Column("varchar", { name: "name_key", length: 100 })
  nameKey: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;
}
