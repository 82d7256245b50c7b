import { requireWorkspace } from "@velaflows/kit";
import { listDeliveries } from "../domain/deliveries";
import { toDeliveryProto } from "../persistence/mappers";
import type { DeliveryStatus } from "../persistence/webhook-delivery.entity";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function listWebhookDeliveriesHandler({ store }: IntegrationsDeps): IntegrationsHandlers["listWebhookDeliveries"] {
  return async (request, context) => {
    const status = (request.status || undefined) as DeliveryStatus | undefined;
    const page = await listDeliveries(store, requireWorkspace(context), request.id, { status }, request);
    return { items: page.items.map(toDeliveryProto), pagination: page.pagination };
  };
}
