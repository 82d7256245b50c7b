import { defineEvent } from "@velaflows/kit";
import {
  PropertiesReorderedEvent,
  PropertyCreatedEvent,
  PropertyDeactivatedEvent,
  PropertyDeletedEvent,
  PropertyReactivatedEvent,
  PropertyUpdatedEvent,
} from "@velaflows/proto/ts/velaflows/custom_properties/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const propertyCreated = defineEvent("velaflows.custom_properties.v1.PropertyCreatedEvent", PropertyCreatedEvent);
export const propertyUpdated = defineEvent("velaflows.custom_properties.v1.PropertyUpdatedEvent", PropertyUpdatedEvent);
export const propertyDeleted = defineEvent("velaflows.custom_properties.v1.PropertyDeletedEvent", PropertyDeletedEvent);
export const propertyDeactivated = defineEvent("velaflows.custom_properties.v1.PropertyDeactivatedEvent", PropertyDeactivatedEvent);
export const propertyReactivated = defineEvent("velaflows.custom_properties.v1.PropertyReactivatedEvent", PropertyReactivatedEvent);
export const propertiesReordered = defineEvent("velaflows.custom_properties.v1.PropertiesReorderedEvent", PropertiesReorderedEvent);
