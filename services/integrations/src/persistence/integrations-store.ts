import type { DataSource, EntityManager } from "typeorm";
import { publishEvents, type DomainEvent } from "@velaflows/kit";
import { DeliveryQueue } from "./delivery-queue";
import { WebhookDeliveryRepository } from "./webhook-delivery.repository";
import { WebhookSubscriptionRepository } from "./webhook-subscription.repository";

/** The repositories of one unit of work. */
export interface IntegrationsUnit {
  subscriptions: WebhookSubscriptionRepository;
  deliveries: WebhookDeliveryRepository;
  /** The transaction's manager, for the delivery queue's writes. */
  manager: EntityManager;
  /** Writes events to the outbox; only inside {@link IntegrationsStore.transaction}. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** The Integrations service's data: reads outside a transaction, writes inside one. */
export interface IntegrationsStore {
  read: Pick<IntegrationsUnit, "subscriptions" | "deliveries">;
  /** Runs `work` in one transaction; everything it did is undone if it throws. */
  transaction<T>(work: (unit: IntegrationsUnit) => Promise<T>): Promise<T>;
  /** The same unit on a transaction someone else opened (the event consumer's). */
  unitOf(manager: EntityManager): IntegrationsUnit;
  queue: DeliveryQueue;
}

export function createIntegrationsStore(dataSource: DataSource, schema: string): IntegrationsStore {
  const unitOf = (manager: EntityManager): IntegrationsUnit => ({
    subscriptions: new WebhookSubscriptionRepository(manager),
    deliveries: new WebhookDeliveryRepository(manager),
    manager,
    publish: (events) => publishEvents(manager, events),
  });
  const read = unitOf(dataSource.manager);
  return {
    read: { subscriptions: read.subscriptions, deliveries: read.deliveries },
    transaction: (work) => dataSource.transaction((manager) => work(unitOf(manager))),
    unitOf,
    queue: new DeliveryQueue(dataSource, schema),
  };
}
