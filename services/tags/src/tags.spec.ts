import { expectFailure } from "@velaflows/testing";
import { startTagsHarness, type TagsHarness } from "./test-harness";

let harness: TagsHarness;
beforeAll(async () => {
  harness = await startTagsHarness();
});
afterAll(() => harness.stop());

describe("CreateTag", () => {
  test("creates a tag with cleaned values and defaults", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000001");
    const { tag } = await client.createTag({ name: "  VIP  ", color: "#22C55E", entityTypes: ["lead", "customer", "lead"] });
    expect(tag).toMatchObject({
      workspaceId: client.workspaceId,
      name: "VIP",
      color: "#22c55e",
      description: "",
      entityTypes: ["customer", "lead"],
      usageCount: 0,
      createdBy: "6b0a00000000000000000001",
    });
    expect(tag!.id).toMatch(/^[0-9a-f]{24}$/);
    expect(tag!.createdAt).toBeInstanceOf(Date);

    const { tag: plain } = await client.createTag({ name: "Plain" });
    expect(plain!.color).toBe("#6b7280");
  });

  test("refuses a name already used in the workspace, ignoring case and spaces", async () => {
    const client = harness.workspace();
    await client.createTag({ name: "Hot lead" });
    const failure = await expectFailure(client.createTag({ name: "  HOT LEAD " }));
    expect(failure).toMatchObject({ code: "ALREADY_EXISTS", reason: "TAG_NAME_TAKEN" });
    expect(failure.message).toContain("HOT LEAD");
  });

  test("allows the same name in another workspace", async () => {
    await harness.workspace().createTag({ name: "Shared name" });
    const { tag } = await harness.workspace().createTag({ name: "Shared name" });
    expect(tag!.name).toBe("Shared name");
  });

  test.each([
    ["an empty name", { name: "" }, [{ path: "name", message: "is required" }]],
    ["a blank name", { name: "   " }, [{ path: "name", message: "is required" }]],
    ["a 101-character name", { name: "x".repeat(101) }, [{ path: "name", message: "must be at most 100 characters" }]],
    ["a 200-character name", { name: "é".repeat(200) }, [{ path: "name", message: "must be at most 100 characters" }]],
    ["a colour that is not hex", { name: "a", color: "red" }, [{ path: "color", message: "must be a hex colour such as #22c55e" }]],
    [
      "an unknown entity type",
      { name: "a", entityTypes: ["customer", "planet"] },
      [{ path: "entityTypes[1]", message: expect.stringContaining("must be one of: customer, conversation, lead") }],
    ],
  ])("refuses %s with the field path", async (_, request, violations) => {
    const failure = await expectFailure(harness.workspace().createTag(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });

  test("accepts a 100-character name counted in characters, not bytes", async () => {
    const { tag } = await harness.workspace().createTag({ name: "é".repeat(100) });
    expect([...tag!.name]).toHaveLength(100);
  });
});

describe("GetTag", () => {
  test("returns the tag", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Returning", description: "came back" });
    const { tag: fetched } = await client.getTag({ id: tag!.id });
    expect(fetched).toEqual(tag);
  });

  test("answers NOT_FOUND with the resource id for an unknown tag", async () => {
    const failure = await expectFailure(harness.workspace().getTag({ id: "0123456789abcdef01234567" }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Tag", id: "0123456789abcdef01234567" } });
  });

  test("refuses a malformed id", async () => {
    const failure = await expectFailure(harness.workspace().getTag({ id: "not-an-id" }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual([{ path: "id", message: "must be a 24-character hex id" }]);
  });
});

describe("UpdateTag", () => {
  test("changes only the fields in the mask", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Before", color: "#111111", description: "kept" });
    const { tag: updated } = await client.updateTag({ id: tag!.id, tag: { name: "After", color: "#222222" }, updateMask: ["name"] });
    expect(updated).toMatchObject({ name: "After", color: "#111111", description: "kept" });
    expect(updated!.updatedAt!.getTime()).toBeGreaterThanOrEqual(tag!.updatedAt!.getTime());
  });

  test("without a mask, changes the fields given non-default values", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Masked", description: "old", entityTypes: ["lead"] });
    const { tag: updated } = await client.updateTag({ id: tag!.id, tag: { description: "new" } });
    expect(updated).toMatchObject({ name: "Masked", description: "new", entityTypes: ["lead"] });
  });

  test("clears entity types and description when they are masked and empty", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Narrow", description: "text", entityTypes: ["lead"] });
    const { tag: updated } = await client.updateTag({ id: tag!.id, tag: {}, updateMask: ["entity_types", "description"] });
    expect(updated).toMatchObject({ entityTypes: [], description: "" });
  });

  test("allows changing the case of a tag's own name", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "vip" });
    const { tag: updated } = await client.updateTag({ id: tag!.id, tag: { name: "VIP" }, updateMask: ["name"] });
    expect(updated!.name).toBe("VIP");
  });

  test("refuses a name another tag has", async () => {
    const client = harness.workspace();
    await client.createTag({ name: "Taken" });
    const { tag } = await client.createTag({ name: "Free" });
    const failure = await expectFailure(client.updateTag({ id: tag!.id, tag: { name: "TAKEN" }, updateMask: ["name"] }));
    expect(failure).toMatchObject({ code: "ALREADY_EXISTS", reason: "TAG_NAME_TAKEN" });
    expect((await client.getTag({ id: tag!.id })).tag!.name).toBe("Free");
  });

  test.each([
    ["an unknown mask path", { tag: { name: "x" }, updateMask: ["usage_count"] }, "updateMask"],
    ["a blank name", { tag: { name: "  " }, updateMask: ["name"] }, "tag.name"],
    ["a bad colour", { tag: { color: "#12345" }, updateMask: ["color"] }, "tag.color"],
  ])("refuses %s", async (_, request, path) => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Target" });
    const failure = await expectFailure(client.updateTag({ id: tag!.id, ...request }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual([path]);
  });

  test("answers NOT_FOUND for an unknown tag", async () => {
    const failure = await expectFailure(harness.workspace().updateTag({ id: "0123456789abcdef01234567", tag: { name: "x" } }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Tag", id: "0123456789abcdef01234567" } });
  });
});

describe("DeleteTag", () => {
  test("deletes the tag and detaches it everywhere", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Doomed" });
    await client.bulkAttachTags({ tagIds: [tag!.id], entities: [{ entityType: "customer", entityId: "c1" }, { entityType: "lead", entityId: "l1" }] });
    expect(await client.deleteTag({ id: tag!.id })).toEqual({ detachedCount: 2 });
    expect((await expectFailure(client.getTag({ id: tag!.id }))).code).toBe("NOT_FOUND");
    expect((await client.listEntityTags({ entity: { entityType: "customer", entityId: "c1" } })).items).toEqual([]);
    expect((await expectFailure(client.deleteTag({ id: tag!.id }))).code).toBe("NOT_FOUND");
  });
});

describe("ListTags", () => {
  test("pages with totals, newest first by default", async () => {
    const client = harness.workspace();
    for (const name of ["a", "b", "c", "d", "e"]) await client.createTag({ name });
    const first = await client.listTags({ limit: 2 });
    expect(first.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    const pages = [first, await client.listTags({ limit: 2, page: 2 }), await client.listTags({ limit: 2, page: 3 })];
    expect(pages.flatMap((p) => p.items.map((t) => t.name))).toEqual(["e", "d", "c", "b", "a"]);
    expect((await client.listTags({ limit: 2, page: 4 })).items).toEqual([]);
  });

  test("sorts by name, usage count and order", async () => {
    const client = harness.workspace();
    const { tag: banana } = await client.createTag({ name: "banana" });
    await client.createTag({ name: "Apple" });
    await client.createTag({ name: "cherry" });
    await client.attachTag({ tagId: banana!.id, entity: { entityType: "lead", entityId: "l1" } });
    expect((await client.listTags({ sortBy: "name", sortOrder: "asc" })).items.map((t) => t.name)).toEqual(["Apple", "banana", "cherry"]);
    expect((await client.listTags({ sortBy: "name", sortOrder: "desc" })).items.map((t) => t.name)).toEqual(["cherry", "banana", "Apple"]);
    expect((await client.listTags({ sortBy: "usageCount" })).items[0]!.name).toBe("banana");
  });

  test("searches names and descriptions, treating % and _ literally", async () => {
    const client = harness.workspace();
    await client.createTag({ name: "Discount 50%" });
    await client.createTag({ name: "Discount 500" });
    await client.createTag({ name: "Loyal", description: "big DISCOUNT fan" });
    await client.createTag({ name: "snake_case" });
    await client.createTag({ name: "snakeXcase" });
    expect((await client.listTags({ search: "discount", sortBy: "name", sortOrder: "asc" })).items.map((t) => t.name)).toEqual([
      "Discount 50%",
      "Discount 500",
      "Loyal",
    ]);
    expect((await client.listTags({ search: "50%" })).items.map((t) => t.name)).toEqual(["Discount 50%"]);
    expect((await client.listTags({ search: "_" })).items.map((t) => t.name)).toEqual(["snake_case"]);
  });

  test("filters by entity type, keeping tags that apply to every type", async () => {
    const client = harness.workspace();
    await client.createTag({ name: "For leads", entityTypes: ["lead"] });
    await client.createTag({ name: "For customers", entityTypes: ["customer"] });
    await client.createTag({ name: "For all" });
    const names = (await client.listTags({ entityType: "conversation" })).items.map((t) => t.name);
    expect(names).toEqual(["For all"]);
    expect((await client.listTags({ entityType: "lead", sortBy: "name", sortOrder: "asc" })).items.map((t) => t.name)).toEqual([
      "For all",
      "For leads",
    ]);
  });

  test.each([
    ["a limit above 100", { limit: 101 }, "limit"],
    ["a sortBy outside the whitelist", { sortBy: "workspaceId" }, "sortBy"],
    ["a sortOrder other than asc or desc", { sortOrder: "up" }, "sortOrder"],
    ["an unknown entity type", { entityType: "planet" }, "entityType"],
  ])("refuses %s", async (_, request, path) => {
    const failure = await expectFailure(harness.workspace().listTags(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual([path]);
  });
});

test("a call without workspace metadata is UNAUTHENTICATED", async () => {
  const failure = await expectFailure(
    harness.raw.listTags({ page: 0, limit: 0, search: "", sortBy: "", sortOrder: "", entityType: "" }),
  );
  expect(failure.code).toBe("UNAUTHENTICATED");
});
