import { CreateDateColumn, PrimaryColumn, UpdateDateColumn } from "typeorm";

/**
 * The columns of the Auth service's tables that belong to no single workspace (users, sessions,
 * keys, the workspaces themselves): a 24-hex id and creation and update times. Tenant-owned tables
 * extend the kit's `WorkspaceEntity` instead.
 */
export abstract class GlobalEntity {
  @PrimaryColumn("varchar", { length: 24 })
  id: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz", precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz", precision: 3 })
  updatedAt: Date;
}
