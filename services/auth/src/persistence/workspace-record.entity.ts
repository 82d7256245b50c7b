import { Column, Entity } from "typeorm";
import { GlobalEntity } from "./global-entity";

/** A workspace. `ownerId` is the one owner; a deleted workspace keeps its row (and audit trail). */
@Entity({ name: "workspaces" })
export class WorkspaceRecordEntity extends GlobalEntity {
  @Column("varchar", { length: 100 })
  name: string;

  @Column("varchar", { name: "owner_id", length: 24 })
  ownerId: string;

  @Column({ type: "timestamptz", name: "deleted_at", precision: 3, nullable: true })
  deletedAt: Date | null;
}
