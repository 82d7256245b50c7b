import { Property } from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";
import { createInProcessBus } from "../events/in-process-bus";
import { createEntityDefinitionsCache, followPropertyDefinitionEvents } from "./entity-definitions-cache";

// The loader stands in for GetEntityDefinitions: it records each call and answers with the
// definitions currently "stored", so a test can change them between loads.
function fixture(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let clock = 1_000;
  const loads: string[] = [];
  const stored = new Map<string, Property[]>();
  const cache = createEntityDefinitionsCache({
    ...options,
    now: () => clock,
    load: async (workspaceId, entityType) => {
      loads.push(`${workspaceId}/${entityType}`);
      return stored.get(`${workspaceId}/${entityType}`) ?? [];
    },
  });
  const define = (workspaceId: string, entityType: string, ...keys: string[]) =>
    stored.set(
      `${workspaceId}/${entityType}`,
      keys.map((key) => Property.fromPartial({ key, entityType, type: "text" })),
    );
  return { cache, loads, define, advance: (ms: number) => (clock += ms) };
}

const keys = (definitions: readonly Property[]) => definitions.map((d) => d.key);

describe("createEntityDefinitionsCache", () => {
  test("loads once per workspace and entity type, then serves from the cache", async () => {
    const { cache, loads, define } = fixture();
    define("w1", "customer", "plan");
    const [first, concurrent] = await Promise.all([cache.get("w1", "customer"), cache.get("w1", "customer")]);
    expect(keys(first)).toEqual(["plan"]);
    expect(keys(concurrent)).toEqual(["plan"]);
    expect(keys(await cache.get("w1", "customer"))).toEqual(["plan"]);
    expect(loads).toEqual(["w1/customer"]);

    await cache.get("w1", "lead");
    await cache.get("w2", "customer");
    expect(loads).toEqual(["w1/customer", "w1/lead", "w2/customer"]);
  });

  test("a property event invalidates only its workspace and entity type", async () => {
    const { cache, loads, define } = fixture();
    define("w1", "customer", "plan");
    await cache.get("w1", "customer");
    await cache.get("w1", "lead");
    await cache.get("w2", "customer");
    define("w1", "customer", "plan", "region");

    cache.handleEvent({ eventType: "tags.tag.created", workspaceId: "w1", data: { entityType: "customer" } });
    expect(keys(await cache.get("w1", "customer"))).toEqual(["plan"]);

    cache.handleEvent({ eventType: "custom-properties.property.created", workspaceId: "w1", data: { entityType: "customer", key: "region" } });
    expect(keys(await cache.get("w1", "customer"))).toEqual(["plan", "region"]);
    await cache.get("w1", "lead");
    await cache.get("w2", "customer");
    expect(loads).toEqual(["w1/customer", "w1/lead", "w2/customer", "w1/customer"]);

    // An event without an entity type forgets the whole workspace.
    cache.handleEvent({ eventType: "custom-properties.property.reordered", workspaceId: "w1", data: {} });
    await cache.get("w1", "lead");
    await cache.get("w2", "customer");
    expect(loads.slice(4)).toEqual(["w1/lead"]);
  });

  test("entries expire after the TTL", async () => {
    const { cache, loads, advance } = fixture({ ttlMs: 60_000 });
    await cache.get("w1", "customer");
    advance(59_999);
    await cache.get("w1", "customer");
    expect(loads).toHaveLength(1);
    advance(1);
    await cache.get("w1", "customer");
    expect(loads).toHaveLength(2);
  });

  test("keeps at most maxEntries, dropping the least recently used", async () => {
    const { cache, loads } = fixture({ maxEntries: 2 });
    await cache.get("w1", "customer");
    await cache.get("w2", "customer");
    await cache.get("w1", "customer"); // w1 is now the most recently used
    await cache.get("w3", "customer"); // evicts w2
    await cache.get("w1", "customer");
    await cache.get("w2", "customer");
    expect(loads).toEqual(["w1/customer", "w2/customer", "w3/customer", "w2/customer"]);
  });

  test("a failed load is not cached", async () => {
    let fail = true;
    const cache = createEntityDefinitionsCache({
      load: async () => {
        if (fail) throw new Error("unavailable");
        return [Property.fromPartial({ key: "plan" })];
      },
    });
    await expect(cache.get("w1", "customer")).rejects.toThrow("unavailable");
    fail = false;
    expect(keys(await cache.get("w1", "customer"))).toEqual(["plan"]);
  });
});

describe("followPropertyDefinitionEvents", () => {
  test("two replicas on one bus both forget what a property event changed; clear() forgets everything", async () => {
    const bus = createInProcessBus();
    const replicas = [fixture(), fixture()];
    for (const replica of replicas) {
      replica.define("w1", "customer", "plan");
      await followPropertyDefinitionEvents(bus, "customers", replica.cache);
      await replica.cache.get("w1", "customer");
      await replica.cache.get("w2", "customer");
    }
    await bus.publish({ eventId: `evt_${"a".repeat(24)}`, eventType: "custom-properties.property.created", timestamp: new Date().toISOString(), workspaceId: "w1", data: { entityType: "customer" } });
    for (const replica of replicas) {
      replica.define("w1", "customer", "plan", "seats");
      // Bounded: the bus delivers asynchronously.
      for (let i = 0; i < 100 && keys(await replica.cache.get("w1", "customer")).length === 1; i++) await new Promise((r) => setImmediate(r));
      expect(keys(await replica.cache.get("w1", "customer"))).toEqual(["plan", "seats"]);
      await replica.cache.get("w2", "customer");
      expect(replica.loads.filter((l) => l === "w2/customer")).toHaveLength(1); // another workspace: kept
      replica.cache.clear();
      await replica.cache.get("w2", "customer");
      expect(replica.loads.filter((l) => l === "w2/customer")).toHaveLength(2);
    }
    await bus.close();
  });
});
