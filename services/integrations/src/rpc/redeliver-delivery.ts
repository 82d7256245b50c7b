import { requireWorkspace } from "@velaflows/kit";
import { redeliver } from "../domain/deliveries";
import { toDeliveryProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function redeliverDeliveryHandler({ store, worker }: IntegrationsDeps): IntegrationsHandlers["redeliverDelivery"] {
  return async (request, context) => {
    const delivery = await redeliver(store, requireWorkspace(context), request.id);
    worker.wake();
    return { delivery: toDeliveryProto(delivery) };
  };
}
