import { requireWorkspace } from "@velaflows/kit";
import { deleteSubscription } from "../domain/webhooks";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function deleteWebhookHandler({ store }: IntegrationsDeps): IntegrationsHandlers["deleteWebhook"] {
  return async (request, context) => {
    await deleteSubscription(store, requireWorkspace(context), request.id);
    return { deleted: true };
  };
}
