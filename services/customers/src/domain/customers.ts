import { inRequestOrder, newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import type { ChannelIdentities, ConsentFlags, ContactEmail, ContactPhone, Customer, CustomerFilter } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { CONSENT_CHANNELS, IDENTITY_CHANNELS, type CustomerEntity, type StoredConsent } from "../persistence/customer.entity";
import type { CustomersStore, CustomersUnit } from "../persistence/customers-store";
import { filterFromJson, toCustomerProto } from "../persistence/customer.mapper";
import { customerCreated, customerDeleted, customerTagged, customerUpdated } from "./customer-events";
import { cleanConsent, cleanEmails, cleanIdentities, cleanPhones, derivedFields, keysOf } from "./customer-rules";
import type { CustomerDependencies } from "./dependencies";

/** The fields a customer is created with (the CreateCustomer request). */
export interface NewCustomer {
  firstName: string;
  lastName: string;
  emails: ContactEmail[];
  phones: ContactPhone[];
  identities?: ChannelIdentities;
  company: string;
  language: string;
  country: string;
  avatarUrl: string;
  consent?: ConsentFlags;
  tagIds: string[];
  customProperties?: Record<string, unknown>;
  ownerId: string;
  source: string;
  firstContactAt?: Date;
  lastContactAt?: Date;
}

/** Builds the stored row of a new customer (custom properties already validated). */
export function newCustomerRow(input: NewCustomer, customProperties: Record<string, unknown>, createdBy: string | null): Partial<CustomerEntity> {
  const base = {
    firstName: input.firstName.trim(),
    lastName: input.lastName.trim(),
    emails: cleanEmails(input.emails, "emails"),
    phones: cleanPhones(input.phones, "phones"),
    identities: cleanIdentities(input.identities),
    company: input.company.trim(),
    consent: cleanConsent(input.consent),
  };
  return {
    ...base,
    ...derivedFields(base),
    language: input.language,
    country: input.country,
    avatarUrl: input.avatarUrl,
    tagIds: [],
    customProperties,
    ownerId: input.ownerId || null,
    source: input.source || "manual",
    firstContactAt: input.firstContactAt ?? null,
    lastContactAt: input.lastContactAt ?? null,
    createdBy,
  };
}

// No call to another service runs inside a transaction here: on the embedded database a
// transaction holds every other connection back, the other service's included. Tags are written
// first and undone (best effort) when the transaction that follows fails.

export async function createCustomer(store: CustomersStore, deps: CustomerDependencies, workspaceId: string, input: NewCustomer, actor: string | null): Promise<CustomerEntity> {
  const row = newCustomerRow(input, {}, actor);
  const customProperties = await validateCustomProperties(deps, workspaceId, input.customProperties ?? {}, false);
  const id = newObjectId();
  const tagIds = input.tagIds.length > 0 ? await deps.tags.setCustomerTags(workspaceId, id, input.tagIds) : [];
  return withTagsUndo(deps, workspaceId, id, tagIds, [], () =>
    store.transaction(async (unit) => {
      await unit.customers.insert(workspaceId, { ...row, id, customProperties, tagIds });
      await unit.customers.replaceKeys(workspaceId, id, keysOf(row as CustomerEntity));
      const created = await mustFind(unit, workspaceId, id);
      await unit.timeline.add(workspaceId, [{ customerId: id, type: customerCreated.type, summary: `Customer created (${created.source})`, actorId: actor, data: { source: created.source } }]);
      await unit.publish([customerCreated(workspaceId, { customer: toCustomerProto(created) })]);
      return created;
    }),
  );
}

/** Runs `write`; if it fails after the Tags service was changed, puts the previous tags back. */
async function withTagsUndo<T>(deps: CustomerDependencies, workspaceId: string, customerId: string, applied: readonly string[], previous: readonly string[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (applied.join() !== previous.join()) await deps.tags.setCustomerTags(workspaceId, customerId, previous).catch(() => undefined);
    throw error;
  }
}

export async function getCustomer(store: CustomersStore, workspaceId: string, id: string): Promise<CustomerEntity> {
  const customer = await store.read.customers.findById(workspaceId, id);
  if (!customer) throw new NotFoundError("Customer", id);
  return customer;
}

/** The customers named by `ids`, in request order, all or nothing (see {@link inRequestOrder}); one read. */
export async function batchGetCustomers(store: CustomersStore, workspaceId: string, ids: readonly string[]): Promise<CustomerEntity[]> {
  return inRequestOrder("Customer", ids, await store.read.customers.findByIds(workspaceId, [...new Set(ids)]));
}

/** Top-level fields of a customer that can be updated, by proto path. */
export const UPDATABLE_CUSTOMER_FIELDS = [
  "first_name",
  "last_name",
  "emails",
  "phones",
  "identities",
  "company",
  "language",
  "country",
  "avatar_url",
  "consent",
  "tag_ids",
  "custom_properties",
  "owner_id",
  "source",
  "first_contact_at",
  "last_contact_at",
] as const;

/**
 * Applies the fields named by `paths` (proto paths; "identities.<channel>", "consent.<channel>" and
 * "consent.<channel>.<flag>" patch one channel). Custom properties merge key by key (null removes a
 * key). An update that changes nothing publishes nothing.
 */
export async function updateCustomer(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  id: string,
  paths: readonly string[],
  changes: Customer,
  actor: string | null,
): Promise<CustomerEntity> {
  const top = new Set(paths.map((p) => p.split(".")[0]!));
  const unknown = [...top].filter((p) => !(UPDATABLE_CUSTOMER_FIELDS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new ValidationError([{ path: "updateMask", message: `cannot update ${unknown.join(", ")}` }]);
  const properties = top.has("custom_properties") ? await validateCustomProperties(deps, workspaceId, changes.customProperties ?? {}, true) : undefined;
  const before = top.has("tag_ids") ? await getCustomer(store, workspaceId, id) : undefined;
  const appliedTags = before ? await deps.tags.setCustomerTags(workspaceId, id, changes.tagIds) : undefined;
  return withTagsUndo(deps, workspaceId, id, appliedTags ?? [], before?.tagIds ?? [], () => store.transaction(async (unit) => {
    await unit.customers.lock(workspaceId, [id]);
    const current = await mustFind(unit, workspaceId, id);
    const next: CustomerEntity = { ...current, emails: [...current.emails], phones: [...current.phones], identities: { ...current.identities }, consent: { ...current.consent } };
    if (top.has("first_name")) next.firstName = changes.firstName.trim();
    if (top.has("last_name")) next.lastName = changes.lastName.trim();
    if (top.has("emails")) next.emails = cleanEmails(changes.emails, "customer.emails");
    if (top.has("phones")) next.phones = cleanPhones(changes.phones, "customer.phones");
    if (top.has("company")) next.company = changes.company.trim();
    if (top.has("language")) next.language = changes.language;
    if (top.has("country")) next.country = changes.country;
    if (top.has("avatar_url")) next.avatarUrl = changes.avatarUrl;
    if (top.has("owner_id")) next.ownerId = changes.ownerId || null;
    if (top.has("source")) next.source = changes.source || current.source;
    if (top.has("first_contact_at")) next.firstContactAt = changes.firstContactAt ?? null;
    if (top.has("last_contact_at")) next.lastContactAt = changes.lastContactAt ?? null;
    if (top.has("identities")) next.identities = patchIdentities(current, paths, changes.identities);
    if (top.has("consent")) next.consent = patchConsent(current.consent, paths, changes.consent);
    if (properties) {
      const merged = { ...current.customProperties };
      for (const [key, value] of Object.entries(properties)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      next.customProperties = merged;
    }
    Object.assign(next, derivedFields(next));
    const changed = changedFields(current, next);
    let tagsChanged: { added: string[]; removed: string[] } | undefined;
    if (appliedTags) {
      const tagIds = appliedTags;
      tagsChanged = diff(current.tagIds, tagIds);
      if (tagsChanged.added.length + tagsChanged.removed.length > 0) {
        next.tagIds = tagIds;
        changed.push("tag_ids");
      }
    }
    if (changed.length === 0) return current;
    await unit.customers.replaceKeys(workspaceId, id, keysOf(next));
    await unit.customers.update(workspaceId, id, next);
    const updated = await mustFind(unit, workspaceId, id);
    await unit.timeline.add(workspaceId, [
      { customerId: id, type: customerUpdated.type, summary: `Updated ${changed.join(", ")}`, actorId: actor, data: { changedFields: changed } },
      ...(tagsChanged && changed.includes("tag_ids") ? [taggedEntry(id, tagsChanged.added, tagsChanged.removed, actor)] : []),
    ]);
    const events = [customerUpdated(workspaceId, { customer: toCustomerProto(updated), changedFields: changed })];
    if (tagsChanged && changed.includes("tag_ids")) {
      events.push(customerTagged(workspaceId, { customerId: id, tagIds: updated.tagIds, addedTagIds: tagsChanged.added, removedTagIds: tagsChanged.removed }));
    }
    await unit.publish(events);
    return updated;
  }));
}

function patchIdentities(current: CustomerEntity, paths: readonly string[], given: ChannelIdentities | undefined) {
  const cleaned = cleanIdentities(given);
  if (paths.includes("identities")) return cleaned;
  const next = { ...current.identities };
  for (const channel of IDENTITY_CHANNELS) {
    if (!paths.includes(`identities.${channel}`)) continue;
    if (cleaned[channel]) next[channel] = cleaned[channel];
    else delete next[channel];
  }
  return next;
}

function patchConsent(current: StoredConsent, paths: readonly string[], given: ConsentFlags | undefined): StoredConsent {
  if (paths.includes("consent")) return cleanConsent(given);
  const next: ConsentFlags = {};
  for (const channel of CONSENT_CHANNELS) {
    const flags = { optedIn: current[channel]?.optedIn ?? false, optedOut: current[channel]?.optedOut ?? false };
    const sent = given?.[channel] ?? { optedIn: false, optedOut: false };
    if (paths.includes(`consent.${channel}`)) Object.assign(flags, sent);
    if (paths.includes(`consent.${channel}.opted_in`)) flags.optedIn = sent.optedIn;
    if (paths.includes(`consent.${channel}.opted_out`)) flags.optedOut = sent.optedOut;
    next[channel] = flags;
  }
  return cleanConsent(next);
}

const COMPARED: [keyof CustomerEntity, string][] = [
  ["firstName", "first_name"],
  ["lastName", "last_name"],
  ["emails", "emails"],
  ["phones", "phones"],
  ["identities", "identities"],
  ["company", "company"],
  ["language", "language"],
  ["country", "country"],
  ["avatarUrl", "avatar_url"],
  ["consent", "consent"],
  ["customProperties", "custom_properties"],
  ["ownerId", "owner_id"],
  ["source", "source"],
  ["firstContactAt", "first_contact_at"],
  ["lastContactAt", "last_contact_at"],
];

function changedFields(before: CustomerEntity, after: CustomerEntity): string[] {
  return COMPARED.filter(([field]) => JSON.stringify(before[field]) !== JSON.stringify(after[field])).map(([, path]) => path);
}

export function diff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((t) => !before.includes(t)), removed: before.filter((t) => !after.includes(t)) };
}

/** Deletes a customer (keys and notes go with it) and detaches its tags in the Tags service. */
export async function deleteCustomer(store: CustomersStore, deps: CustomerDependencies, workspaceId: string, id: string): Promise<void> {
  const current = await getCustomer(store, workspaceId, id);
  if (current.tagIds.length > 0) await deps.tags.setCustomerTags(workspaceId, id, []);
  await store.transaction(async (unit) => {
    await mustFind(unit, workspaceId, id);
    await unit.customers.delete(workspaceId, id);
    await unit.timeline.deleteOfCustomer(workspaceId, id);
    await unit.publish([customerDeleted(workspaceId, { customerId: id })]);
  });
}

/**
 * Validates and normalises custom property values through the Custom Properties service, the one
 * judge of values. Empty values need no judge when the cached definitions show that nothing is
 * required or defaulted (a patch never is).
 */
export async function validateCustomProperties(deps: CustomerDependencies, workspaceId: string, values: Record<string, unknown>, partial: boolean): Promise<Record<string, unknown>> {
  if (Object.keys(values).length === 0) {
    if (partial) return {};
    const definitions = await deps.properties.definitions(workspaceId);
    if (!definitions.some((d) => d.active && (d.required || (d.defaultValue !== undefined && d.defaultValue !== null)))) return {};
  }
  return deps.properties.validate(workspaceId, values, partial);
}

/**
 * The request's custom property conditions checked against the cached definitions: unknown keys
 * are refused, and numbers and booleans are written the way they are stored, so "seats=05" finds
 * seats 5 and "vip=TRUE" finds true.
 */
export async function checkCustomPropertyFilter<F extends Partial<CustomerFilter>>(deps: CustomerDependencies, workspaceId: string, filter: F | undefined, pathPrefix = "filter"): Promise<F | undefined> {
  if (!filter?.customProperties?.length) return filter;
  const byKey = new Map((await deps.properties.definitions(workspaceId)).map((d) => [d.key, d]));
  const violations: { path: string; message: string }[] = [];
  const conditions = filter.customProperties.map((condition) => {
    const eq = condition.indexOf("=");
    const key = condition.slice(0, eq);
    const text = condition.slice(eq + 1).trim();
    const path = `${pathPrefix}.customProperties.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      violations.push({ path, message: "is not a custom property of customer" });
      return condition;
    }
    if (definition.type === "number") {
      const value = text === "" ? NaN : Number(text);
      if (!Number.isFinite(value)) violations.push({ path, message: "must be a number" });
      return `${key}=${value}`;
    }
    if (definition.type === "boolean") {
      const value = { true: "true", false: "false", "1": "true", "0": "false" }[text.toLowerCase()];
      if (!value) violations.push({ path, message: "must be true or false" });
      return `${key}=${value}`;
    }
    return condition;
  });
  if (violations.length > 0) throw new ValidationError(violations);
  return { ...filter, customProperties: conditions };
}

/** The filters a list applies: the saved segment's, the request's, and its search. */
export async function resolveFilters(store: CustomersStore, workspaceId: string, segmentId: string | undefined, filter: Partial<CustomerFilter> | undefined, search?: string) {
  const filters: Partial<CustomerFilter>[] = [];
  if (segmentId) {
    const segment = await store.read.segments.findById(workspaceId, segmentId);
    if (!segment) throw new NotFoundError("Segment", segmentId);
    filters.push(filterFromJson(segment.filter));
  }
  if (filter) filters.push(filter);
  if (search) filters.push({ search });
  return filters;
}

export async function listCustomers(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  request: ListParams & { filter?: CustomerFilter; segmentId?: string },
) {
  const filter = await checkCustomPropertyFilter(deps, workspaceId, request.filter);
  const filters = await resolveFilters(store, workspaceId, request.segmentId || undefined, filter, request.search);
  return store.read.customers.list(workspaceId, filters, request);
}

export async function countCustomers(store: CustomersStore, deps: CustomerDependencies, workspaceId: string, request: CustomerFilter | undefined): Promise<number> {
  const filter = await checkCustomPropertyFilter(deps, workspaceId, request);
  return store.read.customers.count(workspaceId, filter ? [filter] : []);
}

/** Finds the customer holding exactly one given key: an e-mail, a phone, or a channel identity. */
export async function lookupCustomer(store: CustomersStore, workspaceId: string, query: { email: string; phone: string; channel: string; identity: string }): Promise<CustomerEntity> {
  const given = [query.email, query.phone, query.channel || query.identity].filter(Boolean).length;
  if (given !== 1 || Boolean(query.channel) !== Boolean(query.identity)) {
    throw new ValidationError([{ path: "email", message: "give exactly one of email, phone, or channel with identity" }]);
  }
  const key = query.email
    ? { kind: "email", value: query.email.trim().toLowerCase() }
    : query.phone
      ? { kind: "phone", value: query.phone.trim() }
      : { kind: query.channel, value: query.channel === "email" ? query.identity.trim().toLowerCase() : query.identity.trim() };
  const id = await store.read.customers.findIdByKey(workspaceId, key);
  const customer = id ? await store.read.customers.findById(workspaceId, id) : null;
  if (!customer) throw new NotFoundError("Customer", key.value);
  return customer;
}

/** Replaces the customer's tags through the Tags service and keeps the copy used by filters. */
export async function setCustomerTags(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  id: string,
  tagIds: readonly string[],
  actor: string | null,
): Promise<CustomerEntity> {
  const before = await getCustomer(store, workspaceId, id);
  const applied = await deps.tags.setCustomerTags(workspaceId, id, tagIds);
  return withTagsUndo(deps, workspaceId, id, applied, before.tagIds, () => store.transaction(async (unit) => {
    await unit.customers.lock(workspaceId, [id]);
    const current = await mustFind(unit, workspaceId, id);
    const { added, removed } = diff(current.tagIds, applied);
    if (added.length + removed.length === 0) return current;
    await unit.customers.update(workspaceId, id, { tagIds: applied });
    await unit.timeline.add(workspaceId, [taggedEntry(id, added, removed, actor)]);
    await unit.publish([customerTagged(workspaceId, { customerId: id, tagIds: applied, addedTagIds: added, removedTagIds: removed })]);
    return mustFind(unit, workspaceId, id);
  }));
}

export async function mustFind(unit: Pick<CustomersUnit, "customers">, workspaceId: string, id: string): Promise<CustomerEntity> {
  const customer = await unit.customers.findById(workspaceId, id);
  if (!customer) throw new NotFoundError("Customer", id);
  return customer;
}

// Tags changed through this service are recorded here; the Tags service's own events for the same
// change then find the tag copy already up to date and add no second entry.
export function taggedEntry(customerId: string, added: readonly string[], removed: readonly string[], actor: string | null) {
  const parts = [added.length > 0 ? `added ${added.length}` : "", removed.length > 0 ? `removed ${removed.length}` : ""].filter(Boolean);
  return { customerId, type: customerTagged.type, summary: `Tags ${parts.join(", ")}`, actorId: actor, data: { addedTagIds: [...added], removedTagIds: [...removed] } };
}
