import { newObjectId, NotFoundError, ValidationError, type ListParams } from "@velaflows/kit";
import { Customer } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { CONSENT_CHANNELS, IDENTITY_CHANNELS, type CustomerEntity, type StoredConsent } from "../persistence/customer.entity";
import type { CustomersStore } from "../persistence/customers-store";
import type { MergeEntity } from "../persistence/merge.entity";
import { toCustomerProto } from "../persistence/customer.mapper";
import { customerMerged } from "./customer-events";
import { derivedFields, keysOf } from "./customer-rules";
import { mustFind } from "./customers";
import type { CustomerDependencies } from "./dependencies";

/**
 * The merged customer under the rules documented on MergeCustomers: the target's non-empty values
 * win, then the sources' in the order given; lists are unions; opt-outs are never lost.
 */
export function mergeRows(target: CustomerEntity, sources: readonly CustomerEntity[]): CustomerEntity {
  const all = [target, ...sources];
  const first = <K extends keyof CustomerEntity>(field: K): CustomerEntity[K] => {
    for (const row of all) {
      const value = row[field];
      if (value !== null && value !== undefined && value !== "") return value;
    }
    return target[field];
  };
  const emails = unionBy(all.flatMap((r) => r.emails.map((e) => ({ ...e, primary: false }))), (e) => e.address);
  const phones = unionBy(all.flatMap((r) => r.phones.map((p) => ({ ...p, primary: false }))), (p) => p.number);
  // The first record that had a primary keeps it primary (the target's when it had one).
  const primaryEmail = all.find((r) => r.emails.length > 0)?.emails.find((e) => e.primary)?.address;
  const primaryPhone = all.find((r) => r.phones.length > 0)?.phones.find((p) => p.primary)?.number;
  emails.forEach((e) => (e.primary = e.address === primaryEmail));
  phones.forEach((p) => (p.primary = p.number === primaryPhone));
  emails.sort((a, b) => Number(b.primary) - Number(a.primary));
  phones.sort((a, b) => Number(b.primary) - Number(a.primary));
  const identities: CustomerEntity["identities"] = {};
  for (const channel of IDENTITY_CHANNELS) {
    const value = all.map((r) => r.identities[channel]).find(Boolean);
    if (value) identities[channel] = value;
  }
  const consent: StoredConsent = {};
  for (const channel of CONSENT_CHANNELS) {
    const optedOut = all.some((r) => r.consent[channel]?.optedOut);
    const optedIn = !optedOut && all.some((r) => r.consent[channel]?.optedIn);
    if (optedIn || optedOut) consent[channel] = { optedIn, optedOut };
  }
  const customProperties: Record<string, unknown> = {};
  for (const row of [...all].reverse()) Object.assign(customProperties, row.customProperties);
  const dates = (field: "firstContactAt" | "lastContactAt") => all.map((r) => r[field]).filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  const firstContacts = dates("firstContactAt");
  const lastContacts = dates("lastContactAt");
  const merged: CustomerEntity = {
    ...target,
    firstName: first("firstName"),
    lastName: first("lastName"),
    company: first("company"),
    language: first("language"),
    country: first("country"),
    avatarUrl: first("avatarUrl"),
    ownerId: first("ownerId"),
    emails,
    phones,
    identities,
    consent,
    customProperties,
    tagIds: [...new Set(all.flatMap((r) => r.tagIds))].sort(),
    firstContactAt: firstContacts.length > 0 ? new Date(Math.min(...firstContacts)) : null,
    lastContactAt: lastContacts.length > 0 ? new Date(Math.max(...lastContacts)) : null,
  };
  return { ...merged, ...derivedFields(merged) };
}

function unionBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}

/**
 * Merges `sourceIds` into `targetId` in one transaction: each source in turn has its notes and
 * timeline re-parented, its keys released and its row deleted; then the target gets the merged
 * fields and keys, and the audit record and event are written. A failure at any step (a source
 * that does not exist, a write that fails) rolls everything back. The Tags service is told after
 * the commit (on the embedded database a transaction holds the other services' connections back):
 * the target then carries the union of the tags, and the sources none.
 */
export async function mergeCustomers(
  store: CustomersStore,
  deps: CustomerDependencies,
  workspaceId: string,
  targetId: string,
  sourceIds: readonly string[],
  actor: string | null,
): Promise<{ customer: CustomerEntity; merge: MergeEntity }> {
  const sources = [...new Set(sourceIds)];
  if (sources.includes(targetId)) throw new ValidationError([{ path: "sourceIds", message: "must not include the customer merged into" }]);
  const result = await store.transaction(async (unit) => {
    await unit.customers.lock(workspaceId, [targetId, ...sources]);
    const target = await mustFind(unit, workspaceId, targetId);
    const rows: CustomerEntity[] = [];
    let movedNotes = 0;
    for (const id of sources) {
      const row = await mustFind(unit, workspaceId, id);
      rows.push(row);
      movedNotes += await unit.notes.moveToCustomer(workspaceId, [id], targetId);
      await unit.timeline.moveToCustomer(workspaceId, [id], targetId);
      await unit.customers.deleteKeys(workspaceId, [id]);
      await unit.customers.delete(workspaceId, id);
    }
    const merged = mergeRows(target, rows);
    await unit.customers.update(workspaceId, targetId, merged);
    await unit.customers.replaceKeys(workspaceId, targetId, keysOf(merged));
    const merge = await unit.merges.insert(workspaceId, {
      id: newObjectId(),
      targetId,
      sourceIds: sources,
      sources: rows.map((row) => Customer.toJSON(toCustomerProto(row))),
      movedNotes,
      mergedBy: actor,
    });
    await unit.timeline.add(workspaceId, [
      {
        customerId: targetId,
        type: customerMerged.type,
        summary: `Merged ${sources.length} customer(s) into this one`,
        actorId: actor,
        data: { mergeId: merge.id, sourceIds: sources, movedNotes },
      },
    ]);
    const updated = await mustFind(unit, workspaceId, targetId);
    await unit.publish([customerMerged(workspaceId, { targetId, sourceIds: sources, mergeId: merge.id, customer: toCustomerProto(updated) })]);
    const saved = await unit.merges.findById(workspaceId, merge.id);
    return { customer: updated, merge: saved!, rows, targetTags: target.tagIds };
  });
  // The merge is committed: a Tags failure now must not report it as failed. The tag copy here is
  // already the union; the Tags service catches up on the next tag write of the customer.
  const syncTags = async () => {
    if (result.customer.tagIds.join() !== result.targetTags.join()) await deps.tags.setCustomerTags(workspaceId, targetId, result.customer.tagIds);
    for (const row of result.rows) if (row.tagIds.length > 0) await deps.tags.setCustomerTags(workspaceId, row.id, []);
  };
  await syncTags().catch(() => undefined);
  return { customer: result.customer, merge: result.merge };
}

export async function getMerge(store: CustomersStore, workspaceId: string, id: string): Promise<MergeEntity> {
  const merge = await store.read.merges.findById(workspaceId, id);
  if (!merge) throw new NotFoundError("Merge", id);
  return merge;
}

export function listMerges(store: CustomersStore, workspaceId: string, targetId: string | undefined, params: ListParams) {
  return store.read.merges.list(workspaceId, targetId, params);
}
