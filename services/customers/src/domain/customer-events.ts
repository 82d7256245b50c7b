import { defineEvent } from "@velaflows/kit";
import {
  CustomerCreatedEvent,
  CustomerDeletedEvent,
  CustomerMergedEvent,
  CustomerTaggedEvent,
  CustomerUpdatedEvent,
  ExportJobFinishedEvent,
  ImportJobFinishedEvent,
} from "@velaflows/proto/ts/velaflows/customers/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const customerCreated = defineEvent("velaflows.customers.v1.CustomerCreatedEvent", CustomerCreatedEvent);
export const customerUpdated = defineEvent("velaflows.customers.v1.CustomerUpdatedEvent", CustomerUpdatedEvent);
export const customerMerged = defineEvent("velaflows.customers.v1.CustomerMergedEvent", CustomerMergedEvent);
export const customerDeleted = defineEvent("velaflows.customers.v1.CustomerDeletedEvent", CustomerDeletedEvent);
export const customerTagged = defineEvent("velaflows.customers.v1.CustomerTaggedEvent", CustomerTaggedEvent);
export const importFinished = defineEvent("velaflows.customers.v1.ImportJobFinishedEvent", ImportJobFinishedEvent);
export const exportFinished = defineEvent("velaflows.customers.v1.ExportJobFinishedEvent", ExportJobFinishedEvent);
