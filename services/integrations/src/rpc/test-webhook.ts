import { requireWorkspace } from "@velaflows/kit";
import { pingSubscription } from "../domain/deliveries";
import { toDeliveryProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function testWebhookHandler({ store, worker }: IntegrationsDeps): IntegrationsHandlers["testWebhook"] {
  return async (request, context) => {
    const delivery = await pingSubscription(store, requireWorkspace(context), request.id);
    worker.wake();
    return { delivery: toDeliveryProto(delivery) };
  };
}
