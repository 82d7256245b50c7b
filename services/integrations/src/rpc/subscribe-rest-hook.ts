import { requireWorkspace } from "@velaflows/kit";
import { createSubscription } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { SubscriptionSource } from "../persistence/webhook-subscription.entity";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function subscribeRestHookHandler({ store, rules }: IntegrationsDeps): IntegrationsHandlers["subscribeRestHook"] {
  return async (request, context) => {
    const subscription = await createSubscription(
      store,
      rules,
      requireWorkspace(context),
      { url: request.targetUrl, events: [request.event], secret: "", source: request.provider as SubscriptionSource, createdBy: context.userId ?? context.apiTokenId },
      { url: "targetUrl", events: "event" },
    );
    return { id: subscription.id, subscription: toSubscriptionProto(subscription) };
  };
}
