import { NotFoundError, requireWorkspace, sampleEventData } from "@velaflows/kit";
import type { IntegrationsHandlers } from "./handlers";

export function getEventSampleHandler(): IntegrationsHandlers["getEventSample"] {
  return async (request, context) => {
    const data = sampleEventData(request.eventType);
    if (!data) throw new NotFoundError("EventType", request.eventType);
    return {
      items: [{ eventId: "evt_65a1b2c3d4e5f6a7b8c9d0e1", eventType: request.eventType, timestamp: "2026-03-24T14:30:00.000Z", workspaceId: requireWorkspace(context), data }],
    };
  };
}
