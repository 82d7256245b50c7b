import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** An invitation of an e-mail address to a workspace with a role. Only the token's hash is stored. */
@Entity({ name: "invitations" })
export class InvitationEntity extends WorkspaceEntity {
  @Column("varchar", { length: 254 })
  email: string;

  @Column("varchar", { name: "role_id", length: 24 })
  roleId: string;

  /** Hex SHA-256 of the current token's secret part (a resend replaces it). */
  @Column("varchar", { name: "secret_hash", length: 64 })
  secretHash: string;

  @Column("varchar", { name: "invited_by", length: 24, nullable: true })
  invitedBy: string | null;

  @Column({ type: "timestamptz", name: "expires_at", precision: 3 })
  expiresAt: Date;

  @Column({ type: "timestamptz", name: "last_sent_at", precision: 3 })
  lastSentAt: Date;

  @Column("integer", { name: "send_count", default: 1 })
  sendCount: number;

  @Column({ type: "timestamptz", name: "accepted_at", precision: 3, nullable: true })
  acceptedAt: Date | null;

  @Column("varchar", { name: "accepted_by", length: 24, nullable: true })
  acceptedBy: string | null;

  @Column({ type: "timestamptz", name: "revoked_at", precision: 3, nullable: true })
  revokedAt: Date | null;
}
