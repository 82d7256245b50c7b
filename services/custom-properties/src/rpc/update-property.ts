import { fieldsToUpdate, requireWorkspace } from "@velaflows/kit";
import type { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { UPDATABLE_PROPERTY_FIELDS, updateProperty, type UpdatablePropertyField } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function updatePropertyHandler(store: PropertiesStore): PropertiesHandlers["updateProperty"] {
  return async (request, context) => {
    const property = request.property!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, UPDATABLE_PROPERTY_FIELDS, (field) => isSet[field](property));
    const updated = await updateProperty(store, requireWorkspace(context), request.id, fields, property);
    return { property: toPropertyProto(updated) };
  };
}

// Whether the request sets each field (a non-default value), for an update without a mask.
const isSet: Record<UpdatablePropertyField, (property: Property) => boolean> = {
  label: (p) => p.label !== "",
  description: (p) => p.description !== "",
  type: (p) => p.type !== "",
  options: (p) => p.options.length > 0,
  required: (p) => p.required,
  validation_regex: (p) => p.validationRegex !== "",
  validation_hint: (p) => p.validationHint !== "",
  default_value: (p) => p.defaultValue !== undefined && p.defaultValue !== null,
  group_id: (p) => p.groupId !== "",
  relation_entity_type: (p) => p.relationEntityType !== "",
  currency_code: (p) => p.currencyCode !== "",
};
