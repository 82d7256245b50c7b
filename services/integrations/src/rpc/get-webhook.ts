import { requireWorkspace } from "@velaflows/kit";
import { getSubscription } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function getWebhookHandler({ store }: IntegrationsDeps): IntegrationsHandlers["getWebhook"] {
  return async (request, context) => ({ subscription: toSubscriptionProto(await getSubscription(store, requireWorkspace(context), request.id)) });
}
