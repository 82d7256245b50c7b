import { Column, Entity } from "typeorm";
import { GlobalEntity } from "./global-entity";

/** An account. `email` is stored normalised (trimmed, lower case) and is unique. */
@Entity({ name: "users" })
export class UserEntity extends GlobalEntity {
  @Column("varchar", { length: 254 })
  email: string;

  @Column("varchar", { length: 100 })
  name: string;

  /** The argon2id PHC string. Never leaves the service. */
  @Column("varchar", { name: "password_hash", length: 255 })
  passwordHash: string;

  @Column({ type: "timestamptz", name: "password_changed_at", precision: 3 })
  passwordChangedAt: Date;

  @Column({ type: "timestamptz", name: "email_verified_at", precision: 3, nullable: true })
  emailVerifiedAt: Date | null;

  @Column("varchar", { name: "avatar_url", length: 2048, default: "" })
  avatarUrl: string;

  @Column("varchar", { length: 35, default: "" })
  locale: string;

  @Column("varchar", { length: 64, default: "" })
  timezone: string;

  @Column({ type: "timestamptz", name: "last_login_at", precision: 3, nullable: true })
  lastLoginAt: Date | null;
}
