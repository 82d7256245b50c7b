import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * A domain event waiting in the service's outbox: written in the same transaction as the change it
 * describes, and shipped to the bus by the relay, so a crash never loses an event.
 */
@Entity({ name: "outbox_events" })
export class OutboxEventEntity {
  /** "evt_" + 24 hex. */
  @PrimaryColumn("varchar", { length: 28 })
  id: string;

  @Column("varchar", { name: "event_type", length: 200 })
  eventType: string;

  @Column("varchar", { name: "workspace_id", length: 24 })
  workspaceId: string;

  @Column("jsonb")
  data: unknown;

  @Column({ type: "timestamptz", name: "occurred_at", precision: 3 })
  occurredAt: Date;

  @Column({ type: "timestamptz", name: "published_at", precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column("integer", { default: 0 })
  attempts: number;

  /** The process that wrote the row (OUTBOX_WRITER); null on rows from before the column. */
  @Column("varchar", { length: 64, nullable: true })
  writer: string | null;
}
