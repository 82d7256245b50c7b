import { eventCatalog, findEventType, sampleEventData } from "./event-catalog";

describe("eventCatalog", () => {
  test("lists every event message with its type, service and proto comment", () => {
    const catalog = eventCatalog();
    expect(findEventType("tags.tag.created")).toEqual({
      type: "tags.tag.created",
      description: "A tag was created.",
      service: "tags",
      message: "velaflows.tags.v1.TagCreatedEvent",
    });
    expect(findEventType("integrations.webhook.deactivated")?.description).toBe(
      "The platform deactivated a webhook subscription: its receiver answered 410 Gone, or every delivery failed for 24 hours.",
    );
    expect(catalog.map((e) => e.type)).toEqual([...catalog.map((e) => e.type)].sort((a, b) => a.localeCompare(b)));
    for (const entry of catalog) {
      expect(entry.type).toMatch(/^[a-z_-]+(\.[a-z_]+)+$/);
      expect(entry.description).not.toBe("");
    }
  });

  test("is read once", () => {
    expect(eventCatalog()).toBe(eventCatalog());
  });
});

describe("sampleEventData", () => {
  test("fills every field of the event message with a placeholder in proto3 JSON", () => {
    expect(sampleEventData("tags.tag.updated")).toEqual({
      tag: {
        _id: "65a1b2c3d4e5f6a7b8c9d0e1",
        workspaceId: "65a1b2c3d4e5f6a7b8c9d0e1",
        name: "example name",
        color: "#22c55e",
        description: "example description",
        entityTypes: ["example entity types"],
        usageCount: 1,
        createdBy: "example created by",
        createdAt: "2026-03-24T14:30:00.000Z",
        updatedAt: "2026-03-24T14:30:00.000Z",
      },
      changedFields: ["example changed fields"],
    });
    expect(sampleEventData("tags.tag.attached")).toEqual({
      entity: { entityType: "example entity type", entityId: "65a1b2c3d4e5f6a7b8c9d0e1" },
      tagIds: ["65a1b2c3d4e5f6a7b8c9d0e1"],
    });
  });

  test("is undefined for an unknown type", () => {
    expect(sampleEventData("nope.nothing.happened")).toBeUndefined();
  });
});
