import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "api_tokens" })
export class ApiTokenEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  /** The first 16 characters of the token, shown to recognise it. */
  @Column("varchar", { length: 16 })
  prefix: string;

  /** Hex SHA-256 (or HMAC-SHA256 with the pepper) of the full token; unique; never leaves the service. */
  @Column("varchar", { name: "token_hash", length: 64 })
  tokenHash: string;

  @Column("text", { array: true, default: () => "'{}'" })
  scopes: string[];

  /** "live" or "test". */
  @Column("varchar", { length: 4 })
  environment: string;

  @Column({ type: "timestamptz", name: "expires_at", precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ type: "timestamptz", name: "last_used_at", precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: "timestamptz", name: "revoked_at", precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column("varchar", { name: "revoked_by", length: 64, nullable: true })
  revokedBy: string | null;

  @Column({ type: "timestamptz", name: "rotated_at", precision: 3, nullable: true })
  rotatedAt: Date | null;

  @Column("varchar", { name: "created_by", length: 64 })
  createdBy: string;
}
