import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from "typeorm";

/**
 * The columns every tenant-owned table starts with: a 24-hex id, the owning workspace, and
 * creation and update times. Column types are explicit everywhere because tsx/esbuild emit no
 * decorator metadata.
 */
export abstract class WorkspaceEntity {
  @PrimaryColumn("varchar", { length: 24 })
  id: string;

  @Column("varchar", { name: "workspace_id", length: 24 })
  workspaceId: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz", precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
