import type { EventEnvelope } from "@velaflows/kit";
import type { CustomersUnit } from "../persistence/customers-store";

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
 * Applies one consumed event, inside the consumer's transaction (which also records it as
 * processed). Tag changes made through this service already updated the tag copy, so their echo
 * from the Tags service changes nothing and adds no second timeline entry.
 */
export async function applyConsumedEvent(unit: CustomersUnit, envelope: EventEnvelope): Promise<void> {
  const workspaceId = envelope.workspaceId;
  const occurredAt = new Date(envelope.timestamp);
  switch (envelope.eventType) {
    case "tags.tag.attached":
    case "tags.tag.detached": {
      const data = envelope.data as EntityTagsData;
      if (data.entity?.entityType !== "customer" || !data.entity.entityId) return;
      const customer = await unit.customers.findById(workspaceId, data.entity.entityId);
      if (!customer) return;
      const attached = envelope.eventType === "tags.tag.attached";
      const changed = (data.tagIds ?? []).filter((id) => customer.tagIds.includes(id) !== attached);
      if (changed.length === 0) return;
      if (attached) await unit.customers.addTags(workspaceId, customer.id, changed);
      else await unit.customers.removeTags(workspaceId, customer.id, changed);
      await unit.timeline.add(workspaceId, [
        {
          customerId: customer.id,
          type: envelope.eventType,
          summary: `${changed.length} tag(s) ${attached ? "attached" : "detached"}`,
          data: { tagIds: changed, eventId: envelope.eventId },
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
