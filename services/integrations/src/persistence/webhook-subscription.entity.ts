import { Column, Entity } from "typeorm";
import { WorkspaceEntity } from "@velaflows/kit";

/** Who created a subscription: the REST API, a Zapier trigger or a Make webhook module. */
export type SubscriptionSource = "api" | "zapier" | "make";
/** Why the platform deactivated a subscription. */
export type DeactivationReason = "gone" | "failing";

@Entity({ name: "webhook_subscriptions" })
export class WebhookSubscriptionEntity extends WorkspaceEntity {
  @Column("varchar", { length: 2048 })
  url: string;

  /** Exact event types, "service.*" patterns or "*". */
  @Column("text", { array: true })
  events: string[];

  /** The HMAC-SHA256 key; returned only by the call that created it. */
  @Column("varchar", { length: 200 })
  secret: string;

  @Column("boolean", { default: true })
  active: boolean;

  @Column("varchar", { length: 16, default: "api" })
  source: SubscriptionSource;

  @Column("varchar", { name: "deactivated_reason", length: 16, nullable: true })
  deactivatedReason: DeactivationReason | null;

  /** Start of the current run of failed attempts; null after a success. */
  @Column({ type: "timestamptz", name: "failing_since", precision: 3, nullable: true })
  failingSince: Date | null;

  @Column("varchar", { name: "created_by", length: 64, nullable: true })
  createdBy: string | null;
}
