import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "notes" })
export class NoteEntity extends WorkspaceEntity {
  @Column("varchar", { name: "customer_id", length: 24 })
  customerId: string;

  @Column("text")
  body: string;

  @Column("boolean", { default: false })
  pinned: boolean;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
