import type { Property, PropertyGroup } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { PropertyGroupEntity } from "./property-group.entity";
import type { PropertyEntity } from "./property.entity";

export function toPropertyProto(entity: PropertyEntity): Property {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    entityType: entity.entityType,
    key: entity.key,
    label: entity.label,
    description: entity.description,
    type: entity.type,
    options: entity.options.map((o) => ({ value: o.value, label: o.label, color: o.color, order: o.order })),
    required: entity.required,
    validationRegex: entity.validationRegex,
    validationHint: entity.validationHint,
    defaultValue: entity.defaultValue === null ? undefined : entity.defaultValue,
    position: entity.position,
    groupId: entity.groupId ?? "",
    active: entity.active,
    relationEntityType: entity.relationEntityType,
    currencyCode: entity.currencyCode,
    createdBy: entity.createdBy ?? "",
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    deactivatedAt: entity.deactivatedAt ?? undefined,
  };
}

export function toPropertyGroupProto(entity: PropertyGroupEntity, propertyCount: number): PropertyGroup {
  return {
    id: entity.id,
    workspaceId: entity.workspaceId,
    entityType: entity.entityType,
    name: entity.name,
    description: entity.description,
    position: entity.position,
    propertyCount,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}
