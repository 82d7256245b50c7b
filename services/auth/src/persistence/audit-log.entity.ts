import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** One audit entry: who did what to which identity record of a workspace, when, and from where. */
@Entity({ name: "audit_logs" })
export class AuditLogEntity extends WorkspaceEntity {
  @Column("varchar", { length: 64 })
  action: string;

  @Column("varchar", { name: "actor_user_id", length: 24, nullable: true })
  actorUserId: string | null;

  @Column("varchar", { name: "actor_api_token_id", length: 64, nullable: true })
  actorApiTokenId: string | null;

  @Column("varchar", { name: "target_type", length: 32 })
  targetType: string;

  @Column("varchar", { name: "target_id", length: 64 })
  targetId: string;

  @Column("jsonb", { default: () => "'{}'" })
  details: Record<string, unknown>;

  @Column("varchar", { length: 64, default: "" })
  ip: string;

  @Column("varchar", { name: "user_agent", length: 512, default: "" })
  userAgent: string;

  @Column("varchar", { name: "request_id", length: 128, default: "" })
  requestId: string;
}
