import { requireWorkspace } from "@velaflows/kit";
import { deleteSubscription } from "../domain/webhooks";
import type { SubscriptionSource } from "../persistence/webhook-subscription.entity";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function unsubscribeRestHookHandler({ store }: IntegrationsDeps): IntegrationsHandlers["unsubscribeRestHook"] {
  return async (request, context) => {
    await deleteSubscription(store, requireWorkspace(context), request.id, request.provider as SubscriptionSource);
    return { deleted: true };
  };
}
