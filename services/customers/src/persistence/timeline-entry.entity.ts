import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

@Entity({ name: "timeline_entries" })
export class TimelineEntryEntity extends WorkspaceEntity {
  @Column("varchar", { name: "customer_id", length: 24 })
  customerId: string;

  /** The event type the entry records. */
  @Column("varchar", { length: 100 })
  type: string;

  @Column("varchar", { length: 500, default: "" })
  summary: string;

  @Column("jsonb", { default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column("varchar", { name: "actor_id", length: 64, nullable: true })
  actorId: string | null;

  @Column({ type: "timestamptz", name: "occurred_at", precision: 3 })
  occurredAt: Date;
}
