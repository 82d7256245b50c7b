import { Column, Entity } from "typeorm";
import { GlobalEntity } from "./global-entity";

/** A login: the family of refresh tokens rotated from it. Revoking it ends every token of the family. */
@Entity({ name: "sessions" })
export class SessionEntity extends GlobalEntity {
  @Column("varchar", { name: "user_id", length: 24 })
  userId: string;

  @Column({ type: "timestamptz", name: "last_used_at", precision: 3 })
  lastUsedAt: Date;

  /** When the newest refresh token expires; extended by each refresh. */
  @Column({ type: "timestamptz", name: "expires_at", precision: 3 })
  expiresAt: Date;

  @Column({ type: "timestamptz", name: "revoked_at", precision: 3, nullable: true })
  revokedAt: Date | null;

  /** "logout", "revoked", "reuse_detected", "password_changed", "password_reset". */
  @Column("varchar", { name: "revoked_reason", length: 32, nullable: true })
  revokedReason: string | null;

  @Column("varchar", { length: 64, default: "" })
  ip: string;

  @Column("varchar", { name: "user_agent", length: 512, default: "" })
  userAgent: string;
}
