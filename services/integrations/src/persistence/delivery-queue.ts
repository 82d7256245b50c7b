import type { DataSource, EntityManager } from "typeorm";
import type { EventEnvelope } from "@velaflows/kit";
import type { DeliveryStatus, StoredAttempt } from "./webhook-delivery.entity";

/** A delivery as the worker handles it, with what it needs of its subscription. */
export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  subscriptionId: string;
  payload: EventEnvelope;
  attempts: StoredAttempt[];
  /** When the attempt now claimed was due. */
  dueAt: Date;
  createdAt: Date;
  url: string;
  secret: string;
  active: boolean;
  /** The subscription's failure streak start, when it is failing. */
  failingSince: Date | null;
}

interface ClaimedRow {
  id: string;
  workspace_id: string;
  subscription_id: string;
  payload: EventEnvelope;
  attempts: StoredAttempt[];
  due_at: Date | string;
  created_at: Date | string;
  url: string;
  secret: string;
  active: boolean;
  failing_since: Date | string | null;
}

/**
 * The worker's view of `webhook_deliveries`, across workspaces: the queue is the table, so
 * deliveries survive restarts and any replica can take any of them.
 */
export class DeliveryQueue {
  private readonly deliveries: string;
  private readonly subscriptions: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
  ) {
    this.deliveries = `"${schema}"."webhook_deliveries"`;
    this.subscriptions = `"${schema}"."webhook_subscriptions"`;
  }

  /**
   * Claims up to `limit` due deliveries in one statement: rows are picked `FOR UPDATE SKIP LOCKED`
   * (replicas never claim the same row at once) and their next attempt is pushed `leaseMs` ahead,
   * which is the claim. No transaction stays open during the HTTP request; if the worker dies,
   * the lease runs out and another worker (or the restarted one) takes the delivery again.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = (await this.dataSource.query(
      `WITH due AS (
         SELECT "id", "next_attempt_at" FROM ${this.deliveries}
          WHERE "status" = 'pending' AND "next_attempt_at" <= now()
          ORDER BY "next_attempt_at", "id" LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE ${this.deliveries} d SET "next_attempt_at" = now() + make_interval(secs => $2::float8 / 1000)
           FROM due WHERE d."id" = due."id"
         RETURNING d."id", d."workspace_id", d."subscription_id", d."payload", d."attempts", due."next_attempt_at" AS "due_at", d."created_at"
       )
       SELECT c.*, s."url", s."secret", s."active", s."failing_since" FROM claimed c JOIN ${this.subscriptions} s ON s."id" = c."subscription_id"`,
      [limit, leaseMs],
    )) as ClaimedRow[];
    return rows.map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      subscriptionId: r.subscription_id,
      payload: r.payload,
      attempts: r.attempts,
      dueAt: new Date(r.due_at),
      createdAt: new Date(r.created_at),
      url: r.url,
      secret: r.secret,
      active: r.active,
      failingSince: r.failing_since ? new Date(r.failing_since) : null,
    }));
  }

  /** When the next pending delivery is due, if any. */
  async nextDueAt(): Promise<Date | null> {
    const [row] = (await this.dataSource.query(`SELECT min("next_attempt_at") AS "due" FROM ${this.deliveries} WHERE "status" = 'pending'`)) as {
      due: Date | string | null;
    }[];
    return row?.due ? new Date(row.due) : null;
  }

  /** Appends an attempt and sets the outcome, inside the transaction of `manager`. */
  async record(manager: EntityManager, id: string, attempt: StoredAttempt, status: DeliveryStatus, nextAttemptAt: Date | null): Promise<void> {
    await manager.query(
      `UPDATE ${this.deliveries} SET "attempts" = "attempts" || $2::jsonb, "status" = $3, "next_attempt_at" = $4, "updated_at" = now() WHERE "id" = $1`,
      [id, JSON.stringify([attempt]), status, nextAttemptAt],
    );
  }

  /** Fails the pending deliveries of a subscription that was deactivated. */
  async failPendingOf(manager: EntityManager, subscriptionId: string): Promise<void> {
    await manager.query(
      `UPDATE ${this.deliveries} SET "status" = 'failed', "next_attempt_at" = NULL, "updated_at" = now() WHERE "subscription_id" = $1 AND "status" = 'pending'`,
      [subscriptionId],
    );
  }

  /** Fails one pending delivery without an attempt (its subscription was turned off meanwhile). */
  async markFailed(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE ${this.deliveries} SET "status" = 'failed', "next_attempt_at" = NULL, "updated_at" = now() WHERE "id" = $1`, [id]);
  }
}
