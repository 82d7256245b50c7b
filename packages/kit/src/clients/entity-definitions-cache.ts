import type { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import type { EventBus, EventEnvelope, Subscription } from "../events/event-bus";

/** The topic pattern of the events after which cached definitions are stale. */
export const PROPERTY_DEFINITION_EVENTS = "custom-properties.property.*";

/** Options of {@link createEntityDefinitionsCache}. */
export interface EntityDefinitionsCacheOptions {
  /** Reads every definition of an entity type (CustomPropertiesInternalService.GetEntityDefinitions). */
  load(workspaceId: string, entityType: string): Promise<Property[]>;
  /**
   * How long an entry is served without an event; 60 s by default. The safety net for events this
   * instance never sees (published while it was not subscribed, or lost).
   */
  ttlMs?: number;
  /** Workspace/entity type pairs kept; the least recently used go first. 1000 by default. */
  maxEntries?: number;
  /** The clock, in ms (tests inject one). */
  now?: () => number;
}

/** The custom property definitions of workspaces, per entity type, as owning services need them. */
export interface EntityDefinitionsCache {
  /** Every definition (active and inactive) of `entityType` in the workspace, by position. */
  get(workspaceId: string, entityType: string): Promise<readonly Property[]>;
  /** Forgets one entity type of a workspace, or all of them. */
  invalidate(workspaceId: string, entityType?: string): void;
  /** Forgets everything. */
  clear(): void;
  /** Invalidates what a `custom-properties.property.*` event changed; ignores other events. */
  handleEvent(envelope: Pick<EventEnvelope, "eventType" | "workspaceId" | "data">): void;
}

interface Entry {
  definitions: Promise<Property[]>;
  loadedAt: number;
}

/**
 * Creates a bounded LRU cache of definitions. Concurrent misses share one load; a failed load is
 * not kept; a load that was in flight when its entry was invalidated is not kept either, so a
 * write after the event never sees the definitions from before it.
 */
export function createEntityDefinitionsCache(options: EntityDefinitionsCacheOptions): EntityDefinitionsCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  const keyOf = (workspaceId: string, entityType: string) => `${workspaceId}\u0000${entityType}`;

  const cache: EntityDefinitionsCache = {
    get(workspaceId, entityType) {
      const key = keyOf(workspaceId, entityType);
      const cached = entries.get(key);
      if (cached && now() - cached.loadedAt < ttlMs) {
        entries.delete(key);
        entries.set(key, cached);
        return cached.definitions;
      }
      const entry: Entry = { loadedAt: now(), definitions: options.load(workspaceId, entityType) };
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      entry.definitions.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.definitions;
    },
    invalidate(workspaceId, entityType) {
      if (entityType !== undefined) {
        entries.delete(keyOf(workspaceId, entityType));
        return;
      }
      const prefix = keyOf(workspaceId, "");
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    handleEvent(envelope) {
      if (!envelope.eventType.startsWith("custom-properties.property.")) return;
      const entityType = (envelope.data as { entityType?: unknown } | null)?.entityType;
      cache.invalidate(envelope.workspaceId, typeof entityType === "string" && entityType !== "" ? entityType : undefined);
    },
  };
  return cache;
}

/**
 * Keeps `cache` current in this process: a broadcast subscription (`<service>.property-definitions`)
 * to the property events, so that every replica of the service forgets what changed (on a shared
 * queue only one of them would hear of it), and forgets everything when the subscription resumes
 * after a gap. Invalidation is idempotent, so the broadcast's at-most-once delivery is enough.
 */
export function followPropertyDefinitionEvents(bus: EventBus, service: string, cache: EntityDefinitionsCache): Promise<Subscription> {
  return bus.subscribeBroadcast(`${service}.property-definitions`, [PROPERTY_DEFINITION_EVENTS], (envelope) => cache.handleEvent(envelope), {
    onResubscribed: () => cache.clear(),
  });
}
