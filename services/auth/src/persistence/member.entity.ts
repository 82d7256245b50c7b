import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** A user's membership of a workspace; unique per (workspace, user). `createdAt` is when they joined. */
@Entity({ name: "members" })
export class MemberEntity extends WorkspaceEntity {
  @Column("varchar", { name: "user_id", length: 24 })
  userId: string;

  @Column("varchar", { name: "role_id", length: 24 })
  roleId: string;

  @Column("varchar", { name: "invited_by", length: 24, nullable: true })
  invitedBy: string | null;
}
