import { newObjectId, NotFoundError, type EventEnvelope, type ListParams } from "@velaflows/kit";
import type { IntegrationsStore, IntegrationsUnit } from "../persistence/integrations-store";
import type { DeliveryStatus, WebhookDeliveryEntity } from "../persistence/webhook-delivery.entity";
import { matchesEventType } from "./event-patterns";
import { webhookPing } from "./integration-events";
import { assertActive, mustFind } from "./webhooks";

/**
 * The event consumer's work: one pending delivery, due now, for each active subscription of the
 * event's workspace whose filters take its type. Runs in the consumer's transaction, which also
 * records the event as processed, so a redelivered event adds nothing.
 */
export async function enqueueEventDeliveries(unit: IntegrationsUnit, envelope: EventEnvelope): Promise<number> {
  // A subscription is not told about itself (its own creation, say): only the others are.
  const about = envelope.eventType.startsWith("integrations.webhook.") ? (envelope.data as { subscriptionId?: string } | null)?.subscriptionId : undefined;
  const subscriptions = (await unit.subscriptions.active(envelope.workspaceId)).filter((s) => s.id !== about && matchesEventType(s.events, envelope.eventType));
  for (const subscription of subscriptions) await unit.deliveries.insert(envelope.workspaceId, newDelivery(subscription.id, envelope));
  return subscriptions.length;
}

/** Sends an integrations.webhook.ping to one subscription, whatever its filters. */
export async function pingSubscription(store: IntegrationsStore, workspaceId: string, id: string): Promise<WebhookDeliveryEntity> {
  return store.transaction(async (unit) => {
    const subscription = await mustFind(unit, workspaceId, id);
    assertActive(subscription);
    const event = webhookPing(workspaceId, { subscriptionId: id, message: "ping" });
    const envelope: EventEnvelope = { eventId: `evt_${newObjectId()}`, eventType: event.type, timestamp: new Date().toISOString(), workspaceId, data: event.data };
    return insertDelivery(unit, id, envelope);
  });
}

/** Sends a delivery's event again as a new delivery to the same subscription. */
export async function redeliver(store: IntegrationsStore, workspaceId: string, deliveryId: string): Promise<WebhookDeliveryEntity> {
  return store.transaction(async (unit) => {
    const original = await unit.deliveries.findById(workspaceId, deliveryId);
    if (!original) throw new NotFoundError("WebhookDelivery", deliveryId);
    assertActive(await mustFind(unit, workspaceId, original.subscriptionId));
    return insertDelivery(unit, original.subscriptionId, original.payload);
  });
}

export async function listDeliveries(store: IntegrationsStore, workspaceId: string, subscriptionId: string, filter: { status?: DeliveryStatus }, params: ListParams) {
  await mustFind(store.read, workspaceId, subscriptionId);
  return store.read.deliveries.listForSubscription(workspaceId, subscriptionId, filter, params);
}

async function insertDelivery(unit: IntegrationsUnit, subscriptionId: string, envelope: EventEnvelope): Promise<WebhookDeliveryEntity> {
  const inserted = await unit.deliveries.insert(envelope.workspaceId, newDelivery(subscriptionId, envelope));
  return (await unit.deliveries.findById(envelope.workspaceId, inserted.id))!;
}

/** A pending delivery of `envelope` to one subscription, due now. */
function newDelivery(subscriptionId: string, envelope: EventEnvelope): Partial<WebhookDeliveryEntity> {
  return {
    id: newObjectId(),
    subscriptionId,
    eventId: envelope.eventId,
    eventType: envelope.eventType,
    payload: envelope,
    status: "pending",
    attempts: [],
    nextAttemptAt: new Date(),
  };
}
