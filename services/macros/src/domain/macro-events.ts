import { defineEvent } from "@velaflows/kit";
import { MacroCreatedEvent, MacroDeletedEvent, MacroExecutedEvent, MacroUpdatedEvent } from "@velaflows/proto/ts/velaflows/macros/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const macroCreated = defineEvent("velaflows.macros.v1.MacroCreatedEvent", MacroCreatedEvent);
export const macroUpdated = defineEvent("velaflows.macros.v1.MacroUpdatedEvent", MacroUpdatedEvent);
export const macroDeleted = defineEvent("velaflows.macros.v1.MacroDeletedEvent", MacroDeletedEvent);
export const macroExecuted = defineEvent("velaflows.macros.v1.MacroExecutedEvent", MacroExecutedEvent);
