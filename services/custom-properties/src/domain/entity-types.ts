/** The entity types that can carry custom properties (the `in` rule of every entity_type field). */
export const ENTITY_TYPES = ["customer", "conversation", "lead", "registration", "broker", "task"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

// The fields each owning service already has on the entity (its proto's JSON names). A property key
// may not collide with one of them, compared by `foldKey`, so `first_name` is refused for customers
// as `firstName` is: a filter, an import column or a webhook payload could not tell them apart.
const COMMON_FIELDS = ["id", "_id", "workspaceId", "createdAt", "updatedAt", "createdBy", "deletedAt", "tags", "customProperties", "owner", "ownerId"];

const BUILT_IN_FIELDS: Record<EntityType, readonly string[]> = {
  customer: [
    ...COMMON_FIELDS,
    "firstName",
    "lastName",
    "name",
    "fullName",
    "email",
    "emails",
    "phone",
    "phones",
    "identities",
    "channelIdentities",
    "company",
    "language",
    "country",
    "avatarUrl",
    "consent",
    "optOut",
    "source",
    "firstContactAt",
    "lastContactAt",
    "notes",
  ],
  conversation: [
    ...COMMON_FIELDS,
    "displayId",
    "status",
    "priority",
    "channel",
    "inboxId",
    "customerId",
    "assigneeId",
    "teamId",
    "subject",
    "snoozedUntil",
    "waitingSince",
    "lastActivityAt",
    "firstReplyAt",
    "messages",
  ],
  lead: [
    ...COMMON_FIELDS,
    "name",
    "title",
    "value",
    "amount",
    "currency",
    "pipelineId",
    "stageId",
    "status",
    "customerId",
    "expectedCloseDate",
    "closedAt",
    "probability",
    "source",
  ],
  registration: [...COMMON_FIELDS, "brokerId", "customerId", "email", "phone", "status", "country", "clickId", "ftdAt", "depositAmount", "currency", "source"],
  broker: [...COMMON_FIELDS, "name", "status", "website", "email", "phone", "country", "currency", "payoutModel", "postbackUrl"],
  task: [...COMMON_FIELDS, "title", "description", "status", "priority", "dueAt", "assigneeId", "completedAt", "relatedTo"],
};

/** The built-in field names of an entity type. */
export function builtInFields(entityType: string): readonly string[] {
  return BUILT_IN_FIELDS[entityType as EntityType] ?? COMMON_FIELDS;
}

/** How keys are compared for uniqueness and collisions: case and underscores ignored. */
export function foldKey(key: string): string {
  return key.toLowerCase().replace(/_/g, "");
}

/** The built-in field `key` collides with, if any. */
export function collidingBuiltInField(entityType: string, key: string): string | undefined {
  const folded = foldKey(key);
  return builtInFields(entityType).find((field) => foldKey(field) === folded);
}
