import { requireWorkspace, ValidationError } from "@velaflows/kit";
import type { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { UPDATABLE_PROPERTY_FIELDS, updateProperty, type UpdatablePropertyField } from "../domain/properties";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore } from "../persistence/properties-store";
import type { PropertiesHandlers } from "./handlers";

export function updatePropertyHandler(store: PropertiesStore): PropertiesHandlers["updateProperty"] {
  return async (request, context) => {
    const property = request.property!; // REQUIRED: checked by the validation interceptor
    const fields = fieldsToUpdate(request.updateMask, property);
    const updated = await updateProperty(store, requireWorkspace(context), request.id, fields, property);
    return { property: toPropertyProto(updated) };
  };
}

// AIP-134: the mask names the fields to write (the gateway fills it from the JSON body's keys);
// without one, every field given a non-default value is written.
function fieldsToUpdate(mask: string[] | undefined, property: Property): UpdatablePropertyField[] {
  if (!mask || mask.length === 0) {
    const given: Record<UpdatablePropertyField, boolean> = {
      label: property.label !== "",
      description: property.description !== "",
      type: property.type !== "",
      options: property.options.length > 0,
      required: property.required,
      validation_regex: property.validationRegex !== "",
      validation_hint: property.validationHint !== "",
      default_value: property.defaultValue !== undefined && property.defaultValue !== null,
      group_id: property.groupId !== "",
      relation_entity_type: property.relationEntityType !== "",
      currency_code: property.currencyCode !== "",
    };
    return UPDATABLE_PROPERTY_FIELDS.filter((field) => given[field]);
  }
  const unknown = mask.filter((path) => !(UPDATABLE_PROPERTY_FIELDS as readonly string[]).includes(path));
  if (unknown.length > 0) {
    throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}; updatable: ${UPDATABLE_PROPERTY_FIELDS.join(", ")}` }]);
  }
  return mask as UpdatablePropertyField[];
}
