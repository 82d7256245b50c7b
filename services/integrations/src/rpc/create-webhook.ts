import { requireWorkspace } from "@velaflows/kit";
import { createSubscription } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function createWebhookHandler({ store, rules }: IntegrationsDeps): IntegrationsHandlers["createWebhook"] {
  return async (request, context) => {
    const subscription = await createSubscription(store, rules, requireWorkspace(context), {
      url: request.url,
      events: request.events,
      secret: request.secret,
      source: "api",
      createdBy: context.userId ?? context.apiTokenId,
    });
    return { subscription: toSubscriptionProto(subscription, { withSecret: true }) };
  };
}
