import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** A workspace member in a team; unique per (workspace, team, user). */
@Entity({ name: "team_members" })
export class TeamMemberEntity extends WorkspaceEntity {
  @Column("varchar", { name: "team_id", length: 24 })
  teamId: string;

  @Column("varchar", { name: "user_id", length: 24 })
  userId: string;

  @Column("varchar", { name: "added_by", length: 24, nullable: true })
  addedBy: string | null;
}
