import { defineEvent } from "@velaflows/kit";
import { WebhookCreatedEvent, WebhookDeactivatedEvent, WebhookDeletedEvent, WebhookPingEvent } from "@velaflows/proto/ts/velaflows/integrations/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const webhookCreated = defineEvent("velaflows.integrations.v1.WebhookCreatedEvent", WebhookCreatedEvent);
export const webhookDeleted = defineEvent("velaflows.integrations.v1.WebhookDeletedEvent", WebhookDeletedEvent);
export const webhookDeactivated = defineEvent("velaflows.integrations.v1.WebhookDeactivatedEvent", WebhookDeactivatedEvent);
/** Not published on the bus: TestWebhook sends it to one subscription directly. */
export const webhookPing = defineEvent("velaflows.integrations.v1.WebhookPingEvent", WebhookPingEvent);
