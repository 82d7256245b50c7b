import { Column, Entity } from "typeorm";
import { WorkspaceEntity, type EventEnvelope } from "@velaflows/kit";

export type DeliveryStatus = "pending" | "succeeded" | "failed";

/** One HTTP request of a delivery, as stored in the `attempts` column. */
export interface StoredAttempt {
  number: number;
  /** ISO 8601: when the attempt was due. */
  scheduledAt: string;
  /** ISO 8601: when the request started. */
  startedAt: string;
  latencyMs: number;
  /** 0 when no response came. */
  responseStatus: number;
  error: string;
  success: boolean;
}

@Entity({ name: "webhook_deliveries" })
export class WebhookDeliveryEntity extends WorkspaceEntity {
  @Column("varchar", { name: "subscription_id", length: 24 })
  subscriptionId: string;

  @Column("varchar", { name: "event_id", length: 28 })
  eventId: string;

  @Column("varchar", { name: "event_type", length: 200 })
  eventType: string;

  /** The envelope sent as the request body. */
  @Column("jsonb")
  payload: EventEnvelope;

  @Column("varchar", { length: 16, default: "pending" })
  status: DeliveryStatus;

  @Column("jsonb", { default: () => "'[]'" })
  attempts: StoredAttempt[];

  /** When the next attempt is due (while pending); pushed forward while a worker holds it. */
  @Column({ type: "timestamptz", name: "next_attempt_at", precision: 3, nullable: true })
  nextAttemptAt: Date | null;
}
