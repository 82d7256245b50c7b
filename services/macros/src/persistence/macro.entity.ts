import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** A file sent with a reply, as stored in JSONB. */
export interface StoredAttachment {
  url: string;
  name: string;
  contentType: string;
}

/** One step of a macro, as stored in JSONB: only the fields its type uses are set. */
export interface StoredAction {
  type: string;
  body?: string;
  attachments?: StoredAttachment[];
  tagId?: string;
  agentId?: string;
  teamId?: string;
  status?: string;
  priority?: string;
  snoozeMinutes?: number;
}

@Entity({ name: "macros" })
export class MacroEntity extends WorkspaceEntity {
  @Column("varchar", { length: 100 })
  name: string;

  /** Stored lower-case; unique per workspace. */
  @Column("varchar", { name: "short_code", length: 50 })
  shortCode: string;

  @Column("varchar", { length: 500, default: "" })
  description: string;

  @Column("text", { default: "" })
  body: string;

  @Column("jsonb", { default: () => "'[]'" })
  attachments: StoredAttachment[];

  @Column("varchar", { length: 16 })
  visibility: string;

  @Column("varchar", { name: "team_id", length: 24, nullable: true })
  teamId: string | null;

  @Column("jsonb", { default: () => "'[]'" })
  actions: StoredAction[];

  @Column("integer", { name: "usage_count", default: 0 })
  usageCount: number;

  @Column({ type: "timestamptz", name: "last_used_at", precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
