import { fieldsToUpdate, requireWorkspace } from "@velaflows/kit";
import { UPDATABLE_SUBSCRIPTION_FIELDS, updateSubscription } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function updateWebhookHandler({ store, rules }: IntegrationsDeps): IntegrationsHandlers["updateWebhook"] {
  return async (request, context) => {
    const changes = request.subscription!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_SUBSCRIPTION_FIELDS, (field) =>
      field === "events" ? changes.events.length > 0 : field === "url" ? changes.url !== "" : changes.active,
    );
    const updated = await updateSubscription(store, rules, requireWorkspace(context), request.id, fields, changes);
    return { subscription: toSubscriptionProto(updated) };
  };
}
