import { eventCatalog } from "@velaflows/kit";
import type { IntegrationsHandlers } from "./handlers";

export function listEventTypesHandler(): IntegrationsHandlers["listEventTypes"] {
  return async (request) => ({ items: eventCatalog().filter((e) => !request.service || e.service === request.service) });
}
