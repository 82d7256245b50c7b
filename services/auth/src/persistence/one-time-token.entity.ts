import { Column, Entity } from "typeorm";
import { GlobalEntity } from "./global-entity";

/** What a one-time token is for. */
export type OneTimeTokenPurpose = "password_reset" | "email_verification";

/** A password-reset or e-mail-verification token: hashed, single use, expiring. */
@Entity({ name: "one_time_tokens" })
export class OneTimeTokenEntity extends GlobalEntity {
  @Column("varchar", { name: "user_id", length: 24 })
  userId: string;

  @Column("varchar", { length: 32 })
  purpose: OneTimeTokenPurpose;

  /** Hex SHA-256 of the token's secret part. */
  @Column("varchar", { name: "secret_hash", length: 64 })
  secretHash: string;

  /** The address the token was sent to (verification marks this address, not a later one). */
  @Column("varchar", { length: 254 })
  email: string;

  @Column({ type: "timestamptz", name: "expires_at", precision: 3 })
  expiresAt: Date;

  @Column({ type: "timestamptz", name: "used_at", precision: 3, nullable: true })
  usedAt: Date | null;
}
