import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { CreateWebhooks1764300000300 } from "./migrations/1764300000300-create-webhooks";
import { WebhookDeliveryEntity } from "./webhook-delivery.entity";
import { WebhookSubscriptionEntity } from "./webhook-subscription.entity";

/** The Integrations data source on its own schema, with every migration in order. */
export function createIntegrationsDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-integrations",
    entities: [WebhookSubscriptionEntity, WebhookDeliveryEntity],
    migrations: [CreateWebhooks1764300000300],
  });
}
