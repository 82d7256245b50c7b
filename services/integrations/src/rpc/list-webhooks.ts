import { requireWorkspace } from "@velaflows/kit";
import { listSubscriptions } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function listWebhooksHandler({ store }: IntegrationsDeps): IntegrationsHandlers["listWebhooks"] {
  return async (request, context) => {
    const active = request.active === "" ? undefined : request.active === "true";
    const page = await listSubscriptions(store, requireWorkspace(context), { active }, request);
    return { items: page.items.map((s) => toSubscriptionProto(s)), pagination: page.pagination };
  };
}
