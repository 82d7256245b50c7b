import type { EventEnvelope } from "@velaflows/kit";
import type { CustomersUnit } from "../persistence/customers-store";
import type { TagsPort } from "./dependencies";

/**
 * The events of other services this one keeps its copies and timeline from, on its durable queue
 * (each handled once by one replica). The property events that make cached definitions stale reach
 * every replica through a broadcast subscription instead (main.ts).
 */
export const CONSUMED_EVENT_PATTERNS = ["tags.tag.attached", "tags.tag.detached", "tags.tag.deleted", "tags.tag.merged", "custom-properties.property.deleted"] as const;

interface EntityTagsData {
  entity?: { entityType?: string; entityId?: string };
  tagIds?: string[];
}

/**
 * What applying `envelope` needs from other services, read before its transaction opens: for a
 * customer's tag attach or detach, the customer's tags as the Tags service holds them now.
 */
export async function prepareConsumedEvent(tags: Pick<TagsPort, "customerTags">, envelope: EventEnvelope): Promise<string[] | undefined> {
  if (envelope.eventType !== "tags.tag.attached" && envelope.eventType !== "tags.tag.detached") return undefined;
  const { entity } = envelope.data as EntityTagsData;
  if (entity?.entityType !== "customer" || !entity.entityId) return undefined;
  return tags.customerTags(envelope.workspaceId, entity.entityId);
}

/**
 * Applies one consumed event, inside the consumer's transaction (which also records it as
 * processed). An attach or detach makes the tag copy what the Tags service held just before (`tagsNow`), not what
 * the event says: events can arrive late and out of order (an echo of a change made through this
 * service can land after a later change), and re-reading converges whatever the order. Tag
 * changes made through this service already updated the copy, so their echo changes nothing and
 * adds no second timeline entry.
 */
export async function applyConsumedEvent(unit: CustomersUnit, envelope: EventEnvelope, tagsNow: string[] | undefined): Promise<void> {
  const workspaceId = envelope.workspaceId;
  const occurredAt = new Date(envelope.timestamp);
  switch (envelope.eventType) {
    case "tags.tag.attached":
    case "tags.tag.detached": {
      const data = envelope.data as EntityTagsData;
      if (data.entity?.entityType !== "customer" || !data.entity.entityId || !tagsNow) return;
      await unit.customers.lock(workspaceId, [data.entity.entityId]);
      const customer = await unit.customers.findById(workspaceId, data.entity.entityId);
      if (!customer) return;
      const current = new Set(tagsNow);
      const added = [...current].filter((id) => !customer.tagIds.includes(id));
      const removed = customer.tagIds.filter((id) => !current.has(id));
      if (added.length + removed.length === 0) return;
      if (added.length > 0) await unit.customers.addTags(workspaceId, customer.id, added);
      if (removed.length > 0) await unit.customers.removeTags(workspaceId, customer.id, removed);
      await unit.timeline.add(workspaceId, [
        {
          customerId: customer.id,
          type: envelope.eventType,
          summary: [added.length > 0 && `${added.length} tag(s) attached`, removed.length > 0 && `${removed.length} tag(s) detached`].filter(Boolean).join(", "),
          data: { tagIds: envelope.eventType === "tags.tag.attached" ? added : removed, addedTagIds: added, removedTagIds: removed, eventId: envelope.eventId },
          occurredAt,
        },
      ]);
      return;
    }
    case "tags.tag.deleted": {
      const { tagId } = envelope.data as { tagId?: string };
      if (tagId) await unit.customers.removeTagEverywhere(workspaceId, tagId);
      return;
    }
    case "tags.tag.merged": {
      const { sourceId, targetId } = envelope.data as { sourceId?: string; targetId?: string };
      if (sourceId && targetId) await unit.customers.replaceTagEverywhere(workspaceId, sourceId, targetId);
      return;
    }
    case "custom-properties.property.deleted": {
      const { entityType, key } = envelope.data as { entityType?: string; key?: string };
      if (entityType === "customer" && key) await unit.customers.removeCustomProperty(workspaceId, key);
      return;
    }
  }
}
