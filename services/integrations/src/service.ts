import { bindService, type ServiceBinding } from "@velaflows/kit";
import { IntegrationsServiceService } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import { createWebhookHandler } from "./rpc/create-webhook";
import { deleteWebhookHandler } from "./rpc/delete-webhook";
import { getEventSampleHandler } from "./rpc/get-event-sample";
import { getWebhookHandler } from "./rpc/get-webhook";
import type { IntegrationsDeps } from "./rpc/handlers";
import { listEventTypesHandler } from "./rpc/list-event-types";
import { listWebhookDeliveriesHandler } from "./rpc/list-webhook-deliveries";
import { listWebhooksHandler } from "./rpc/list-webhooks";
import { redeliverDeliveryHandler } from "./rpc/redeliver-delivery";
import { subscribeRestHookHandler } from "./rpc/subscribe-rest-hook";
import { testWebhookHandler } from "./rpc/test-webhook";
import { unsubscribeRestHookHandler } from "./rpc/unsubscribe-rest-hook";
import { updateWebhookHandler } from "./rpc/update-webhook";

/** The IntegrationsService: one handler per RPC. */
export function createIntegrationsService(deps: IntegrationsDeps): ServiceBinding {
  return bindService(IntegrationsServiceService, {
    createWebhook: createWebhookHandler(deps),
    listWebhooks: listWebhooksHandler(deps),
    getWebhook: getWebhookHandler(deps),
    updateWebhook: updateWebhookHandler(deps),
    deleteWebhook: deleteWebhookHandler(deps),
    testWebhook: testWebhookHandler(deps),
    listWebhookDeliveries: listWebhookDeliveriesHandler(deps),
    redeliverDelivery: redeliverDeliveryHandler(deps),
    listEventTypes: listEventTypesHandler(),
    getEventSample: getEventSampleHandler(),
    subscribeRestHook: subscribeRestHookHandler(deps),
    unsubscribeRestHook: unsubscribeRestHookHandler(deps),
  });
}
