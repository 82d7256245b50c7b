import { requireWorkspace, ValidationError } from "@velaflows/kit";
import type { WebhookSubscription } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import { UPDATABLE_SUBSCRIPTION_FIELDS, updateSubscription, type UpdatableSubscriptionField } from "../domain/webhooks";
import { toSubscriptionProto } from "../persistence/mappers";
import type { IntegrationsDeps, IntegrationsHandlers } from "./handlers";

export function updateWebhookHandler({ store, rules }: IntegrationsDeps): IntegrationsHandlers["updateWebhook"] {
  return async (request, context) => {
    const changes = request.subscription!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, changes);
    const updated = await updateSubscription(store, rules, requireWorkspace(context), request.id, fields, changes);
    return { subscription: toSubscriptionProto(updated) };
  };
}

// AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
// without one, every field given a non-default value is written.
function fieldsToUpdate(mask: string[] | undefined, changes: WebhookSubscription): UpdatableSubscriptionField[] {
  if (!mask || mask.length === 0) {
    return UPDATABLE_SUBSCRIPTION_FIELDS.filter((field) => (field === "events" ? changes.events.length > 0 : field === "url" ? changes.url !== "" : changes.active));
  }
  const unknown = mask.filter((path) => !(UPDATABLE_SUBSCRIPTION_FIELDS as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_SUBSCRIPTION_FIELDS.join(", ")}` }]);
  }
  return mask as UpdatableSubscriptionField[];
}
