import { Column, Entity } from "typeorm";
import { GlobalEntity } from "./global-entity";

/** One refresh token of a session. Only the SHA-256 of its secret is stored; `usedAt` marks it rotated. */
@Entity({ name: "refresh_tokens" })
export class RefreshTokenEntity extends GlobalEntity {
  @Column("varchar", { name: "session_id", length: 24 })
  sessionId: string;

  /** Hex SHA-256 of the token's secret part. */
  @Column("varchar", { name: "secret_hash", length: 64 })
  secretHash: string;

  @Column({ type: "timestamptz", name: "expires_at", precision: 3 })
  expiresAt: Date;

  @Column({ type: "timestamptz", name: "used_at", precision: 3, nullable: true })
  usedAt: Date | null;
}
