import { isUniqueViolation, newObjectId, sameJson, NotFoundError, ValidationError, ConflictError, type FieldViolation, type ListParams } from "@velaflows/kit";
import { toPropertyProto } from "../persistence/mappers";
import type { PropertiesStore, PropertiesUnit } from "../persistence/properties-store";
import type { PropertyEntity } from "../persistence/property.entity";
import type { PropertyFilter } from "../persistence/property.repository";
import { checkKey, cleanDefinition, type DefinitionInput } from "./definition-rules";
import { builtInFields, ENTITY_TYPES, foldKey } from "./entity-types";
import { propertiesReordered, propertyCreated, propertyDeactivated, propertyDeleted, propertyReactivated, propertyUpdated } from "./property-events";
import { allowedTypeChanges, SELECT_TYPES, typeChangeAllowed } from "./property-types";
import { normaliseValues } from "./value-rules";

export interface NewProperty extends DefinitionInput {
  entityType: string;
  key: string;
  groupId: string;
  createdBy?: string;
}

export async function createProperty(store: PropertiesStore, workspaceId: string, input: NewProperty): Promise<PropertyEntity> {
  checkKey(input.entityType, input.key);
  const definition = cleanDefinition(input);
  return store.transaction(async (unit) => {
    if (input.groupId) await mustFindGroupOf(unit, workspaceId, input.groupId, input.entityType, "groupId");
    const created = await withUniqueKey(input.entityType, input.key, async () =>
      unit.properties.insert(workspaceId, {
        id: newObjectId(),
        entityType: input.entityType,
        key: input.key,
        keyFold: foldKey(input.key),
        ...definition,
        position: await unit.properties.nextPosition(workspaceId, input.entityType),
        groupId: input.groupId || null,
        active: true,
        createdBy: input.createdBy ?? null,
        deactivatedAt: null,
      }),
    );
    const saved = await mustFind(unit, workspaceId, created.id);
    await unit.publish([propertyCreated(workspaceId, { entityType: saved.entityType, key: saved.key, property: toPropertyProto(saved) })]);
    return saved;
  });
}

export async function getProperty(store: PropertiesStore, workspaceId: string, id: string): Promise<PropertyEntity> {
  return mustFind(store.read, workspaceId, id);
}

export async function getPropertyByKey(store: PropertiesStore, workspaceId: string, entityType: string, key: string): Promise<PropertyEntity> {
  const property = await store.read.properties.findByKey(workspaceId, entityType, key);
  if (!property) throw new NotFoundError("Property", `${entityType}.${key}`);
  return property;
}

export function listProperties(store: PropertiesStore, workspaceId: string, filter: PropertyFilter, params: ListParams) {
  return store.read.properties.list(workspaceId, filter, params);
}

/** The fields of a property that can be updated, by their proto paths. */
export const UPDATABLE_PROPERTY_FIELDS = [
  "label",
  "description",
  "type",
  "options",
  "required",
  "validation_regex",
  "validation_hint",
  "default_value",
  "group_id",
  "relation_entity_type",
  "currency_code",
] as const;
export type UpdatablePropertyField = (typeof UPDATABLE_PROPERTY_FIELDS)[number];

export interface PropertyChanges extends DefinitionInput {
  groupId: string;
}

const FIELD_OF: Record<UpdatablePropertyField, keyof PropertyChanges> = {
  label: "label",
  description: "description",
  type: "type",
  options: "options",
  required: "required",
  validation_regex: "validationRegex",
  validation_hint: "validationHint",
  default_value: "defaultValue",
  group_id: "groupId",
  relation_entity_type: "relationEntityType",
  currency_code: "currencyCode",
};

/**
 * Applies the named fields to the definition and checks the result as a whole. A type change is
 * refused unless every existing value stays valid; fields the new type does not have (options of a
 * select turned into text) are dropped. An update that changes nothing publishes nothing.
 */
export async function updateProperty(
  store: PropertiesStore,
  workspaceId: string,
  id: string,
  fields: readonly UpdatablePropertyField[],
  changes: PropertyChanges,
): Promise<PropertyEntity> {
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, id);
    const merged: PropertyChanges = {
      label: current.label,
      description: current.description,
      type: current.type,
      options: current.options,
      required: current.required,
      validationRegex: current.validationRegex,
      validationHint: current.validationHint,
      defaultValue: current.defaultValue,
      relationEntityType: current.relationEntityType,
      currencyCode: current.currencyCode,
      groupId: current.groupId ?? "",
    };
    for (const field of fields) (merged as unknown as Record<string, unknown>)[FIELD_OF[field]] = changes[FIELD_OF[field]];

    if (merged.type !== current.type) {
      if (!typeChangeAllowed(current.type, merged.type)) {
        const allowed = allowedTypeChanges(current.type);
        throw new ValidationError([
          {
            path: "property.type",
            message:
              `cannot change from ${current.type} to ${merged.type}: existing values would no longer be valid` +
              (allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : "; create a new property instead"),
          },
        ]);
      }
      if (!SELECT_TYPES.includes(merged.type) && !fields.includes("options")) merged.options = [];
    }
    const definition = cleanDefinition(merged, (field) => `property.${field}`);
    if (merged.groupId && merged.groupId !== current.groupId) await mustFindGroupOf(unit, workspaceId, merged.groupId, current.entityType, "property.groupId");

    const next = { ...definition, groupId: merged.groupId || null };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => !sameJson(next[k], current[k]));
    if (changed.length === 0) return current;
    await unit.properties.update(workspaceId, id, Object.fromEntries(changed.map((k) => [k, next[k]])) as Partial<PropertyEntity>);
    const updated = await mustFind(unit, workspaceId, id);
    await unit.publish([
      propertyUpdated(workspaceId, { entityType: updated.entityType, key: updated.key, property: toPropertyProto(updated), changedFields: changed.map(toProtoPath) }),
    ]);
    return updated;
  });
}

/**
 * Puts the listed properties first, in that order, and the entity type's other properties after
 * them in their current order. Returns every property of the entity type in the new order.
 */
export async function reorderProperties(store: PropertiesStore, workspaceId: string, entityType: string, propertyIds: readonly string[]): Promise<PropertyEntity[]> {
  return store.transaction(async (unit) => {
    const current = await unit.properties.findByEntityType(workspaceId, entityType);
    const order = orderedIds(current, propertyIds, "propertyIds", `a property of ${entityType}`);
    await unit.properties.setPositions(workspaceId, order);
    const reordered = await unit.properties.findByEntityType(workspaceId, entityType);
    if (reordered.some((p, i) => p.id !== current[i]?.id || p.position !== current[i]?.position)) {
      await unit.publish([propertiesReordered(workspaceId, { entityType, propertyIds: reordered.map((p) => p.id) })]);
    }
    return reordered;
  });
}

/** Validates a reorder list against the current items and returns the complete new order. */
export function orderedIds(current: readonly { id: string }[], listed: readonly string[], path: string, what: string): string[] {
  const known = new Set(current.map((c) => c.id));
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  listed.forEach((id, index) => {
    if (!known.has(id)) violations.push({ path: `${path}[${index}]`, message: `is not ${what}` });
    else if (seen.has(id)) violations.push({ path: `${path}[${index}]`, message: "is listed twice" });
    seen.add(id);
  });
  if (violations.length > 0) throw new ValidationError(violations);
  return [...listed, ...current.map((c) => c.id).filter((id) => !seen.has(id))];
}

/** Deactivates (active=false) or reactivates a property; doing it twice is not an error. */
export async function setPropertyActive(store: PropertiesStore, workspaceId: string, id: string, active: boolean): Promise<PropertyEntity> {
  return store.transaction(async (unit) => {
    const current = await mustFind(unit, workspaceId, id);
    if (current.active === active) return current;
    await unit.properties.update(workspaceId, id, { active, deactivatedAt: active ? null : new Date() });
    const updated = await mustFind(unit, workspaceId, id);
    const message = { entityType: updated.entityType, key: updated.key, property: toPropertyProto(updated) };
    await unit.publish([active ? propertyReactivated(workspaceId, message) : propertyDeactivated(workspaceId, message)]);
    return updated;
  });
}

/**
 * Deletes a property for good. Without `confirm` it refuses with a message that says what would
 * happen, since the values disappear from every entity (the owning service removes them on the
 * deleted event) and deactivating keeps them.
 */
export async function deleteProperty(store: PropertiesStore, workspaceId: string, id: string, confirm: boolean): Promise<PropertyEntity> {
  return store.transaction(async (unit) => {
    const property = await mustFind(unit, workspaceId, id);
    if (!confirm) {
      throw new ValidationError(
        [
          {
            path: "confirm",
            message: `must be true: deleting "${property.key}" removes its values from every ${property.entityType}; deactivate it instead to keep them`,
          },
        ],
        "Deleting a property needs confirmation",
      );
    }
    await unit.properties.delete(workspaceId, id);
    await unit.publish([propertyDeleted(workspaceId, { entityType: property.entityType, key: property.key, propertyId: property.id })]);
    return property;
  });
}

/** Validates and normalises values for an entity type (see `normaliseValues`). */
export async function validateValues(
  store: PropertiesStore,
  workspaceId: string,
  entityType: string,
  values: Record<string, unknown>,
  options: { partial: boolean; pathPrefix: string },
): Promise<Record<string, unknown>> {
  const definitions = await store.read.properties.findByEntityType(workspaceId, entityType);
  return normaliseValues(definitions, values, { ...options, entityType });
}

/** One item of a batch check: its normalised values, or its violations. */
export type ValuesCheck = { valid: true; values: Record<string, unknown> } | { valid: false; violations: FieldViolation[] };

/** Validates many entities' values against definitions read once; each item gets its own result. */
export async function validateValuesBatch(
  store: PropertiesStore,
  workspaceId: string,
  entityType: string,
  items: readonly Record<string, unknown>[],
  options: { partial: boolean; pathPrefix: string },
): Promise<ValuesCheck[]> {
  const definitions = await store.read.properties.findByEntityType(workspaceId, entityType);
  return items.map((values) => {
    try {
      return { valid: true, values: normaliseValues(definitions, values, { ...options, entityType }) };
    } catch (error) {
      if (error instanceof ValidationError) return { valid: false, violations: [...error.violations] };
      throw error;
    }
  });
}

export async function listEntityTypes(store: PropertiesStore, workspaceId: string) {
  const counts = await store.read.properties.countByEntityType(workspaceId);
  return ENTITY_TYPES.map((entityType) => ({
    entityType,
    builtInFields: [...builtInFields(entityType)],
    propertyCount: counts.get(entityType)?.total ?? 0,
    activePropertyCount: counts.get(entityType)?.active ?? 0,
  }));
}

export async function getEntityDefinitions(store: PropertiesStore, workspaceId: string, entityType: string) {
  const [properties, groups] = await Promise.all([
    store.read.properties.findByEntityType(workspaceId, entityType),
    store.read.groups.findByEntityType(workspaceId, entityType),
  ]);
  return { properties, groups };
}

async function mustFind(unit: Pick<PropertiesUnit, "properties">, workspaceId: string, id: string): Promise<PropertyEntity> {
  const property = await unit.properties.findById(workspaceId, id);
  if (!property) throw new NotFoundError("Property", id);
  return property;
}

async function mustFindGroupOf(unit: Pick<PropertiesUnit, "groups">, workspaceId: string, groupId: string, entityType: string, path: string): Promise<void> {
  const group = await unit.groups.findById(workspaceId, groupId);
  if (!group || group.entityType !== entityType) throw new ValidationError([{ path, message: `is not a property group of ${entityType}` }]);
}

async function withUniqueKey<T>(entityType: string, key: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "properties_workspace_entity_key")) {
      throw new ConflictError(`A ${entityType} property with the key "${key}" (or one differing only in case or underscores) already exists`, "PROPERTY_KEY_TAKEN");
    }
    throw error;
  }
}

function toProtoPath(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
