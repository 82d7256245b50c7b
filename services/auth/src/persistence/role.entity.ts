import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** The system roles every workspace has. */
export type SystemRoleKey = "owner" | "admin" | "agent";

/**
 * A role of one workspace. System roles (`systemKey` set) are rows too, so every member points at
 * a role id; their permissions come from code (they grow with the catalog), not from `permissions`.
 */
@Entity({ name: "roles" })
export class RoleEntity extends WorkspaceEntity {
  @Column("varchar", { name: "system_key", length: 16, nullable: true })
  systemKey: SystemRoleKey | null;

  @Column("varchar", { length: 60 })
  name: string;

  /** The name folded for uniqueness (trimmed, lower case). */
  @Column("varchar", { name: "name_key", length: 60 })
  nameKey: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  /** A custom role's permissions; empty for system roles. */
  @Column("text", { array: true, default: () => "'{}'" })
  permissions: string[];
}
