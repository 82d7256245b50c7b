import type { DeliveryAttempt, WebhookDelivery, WebhookSubscription } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import type { StoredAttempt, WebhookDeliveryEntity } from "./webhook-delivery.entity";
import type { WebhookSubscriptionEntity } from "./webhook-subscription.entity";

/** The subscription as the API shows it; the secret only when `withSecret` (its creation). */
export function toSubscriptionProto(entity: WebhookSubscriptionEntity, options: { withSecret?: boolean } = {}): WebhookSubscription {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    url: entity.url,
    events: entity.events,
    active: entity.active,
    secret: options.withSecret ? entity.secret : "",
    source: entity.source,
    deactivatedReason: entity.deactivatedReason ?? "",
    failingSince: entity.failingSince ?? undefined,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toDeliveryProto(entity: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    subscriptionId: entity.subscriptionId,
    eventId: entity.eventId,
    eventType: entity.eventType,
    status: entity.status,
    attempts: entity.attempts.map(toAttemptProto),
    nextAttemptAt: entity.status === "pending" ? (entity.nextAttemptAt ?? undefined) : undefined,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

function toAttemptProto(attempt: StoredAttempt): DeliveryAttempt {
  return {
    number: attempt.number,
    scheduledAt: new Date(attempt.scheduledAt),
    startedAt: new Date(attempt.startedAt),
    latencyMs: attempt.latencyMs,
    responseStatus: attempt.responseStatus,
    error: attempt.error,
    success: attempt.success,
  };
}
