import type { UnaryHandlers } from "@velaflows/kit";
import type { IntegrationsServiceService } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import type { DeliveryWorker } from "../domain/delivery-worker";
import type { SubscriptionRules } from "../domain/webhooks";
import type { IntegrationsStore } from "../persistence/integrations-store";

/** The handler type of each IntegrationsService RPC, keyed by method. */
export type IntegrationsHandlers = UnaryHandlers<typeof IntegrationsServiceService>;

/** What the handlers work with. */
export interface IntegrationsDeps {
  store: IntegrationsStore;
  rules: SubscriptionRules;
  /** Woken when a handler queues a delivery, so it goes out now rather than at the next poll. */
  worker: Pick<DeliveryWorker, "wake">;
}
