import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** One tag on one entity; unique per (workspace, tag, entity type, entity id). */
@Entity({ name: "tag_assignments" })
export class TagAssignmentEntity extends WorkspaceEntity {
  @Column("varchar", { name: "tag_id", length: 24 })
  tagId: string;

  @Column("varchar", { name: "entity_type", length: 32 })
  entityType: string;

  @Column("varchar", { name: "entity_id", length: 64 })
  entityId: string;

  @Column("varchar", { name: "attached_by", length: 64, nullable: true })
  attachedBy: string | null;
}
