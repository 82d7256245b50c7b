import { expectFailure } from "@velaflows/testing";
import { startTagsHarness, type TagsClient, type TagsHarness } from "./test-harness";

let harness: TagsHarness;
beforeAll(async () => {
  harness = await startTagsHarness();
});
afterAll(() => harness.stop());

const customer = (entityId: string) => ({ entityType: "customer", entityId });
const lead = (entityId: string) => ({ entityType: "lead", entityId });

async function createTags(client: TagsClient, ...names: string[]) {
  const tags = [];
  for (const name of names) tags.push((await client.createTag({ name })).tag!);
  return tags;
}

async function usage(client: TagsClient, id: string) {
  return (await client.getTag({ id })).tag!.usageCount;
}

describe("AttachTag and DetachTag", () => {
  test("attach is idempotent and keeps the usage count exact", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000009");
    const [vip] = await createTags(client, "VIP");
    const first = await client.attachTag({ tagId: vip!.id, entity: customer("c1") });
    expect(first).toMatchObject({ created: true, assignment: { tagId: vip!.id, entityType: "customer", entityId: "c1", attachedBy: "6b0a00000000000000000009" } });
    expect(first.assignment!.attachedAt).toBeInstanceOf(Date);
    const again = await client.attachTag({ tagId: vip!.id, entity: customer("c1") });
    expect(again.created).toBe(false);
    expect(again.assignment!.attachedAt).toEqual(first.assignment!.attachedAt);
    expect(await usage(client, vip!.id)).toBe(1);

    expect(await client.detachTag({ tagId: vip!.id, entity: customer("c1") })).toEqual({ detached: true });
    expect(await client.detachTag({ tagId: vip!.id, entity: customer("c1") })).toEqual({ detached: false });
    expect(await usage(client, vip!.id)).toBe(0);
  });

  test("refuses a tag restricted to other entity types", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Customers only", entityTypes: ["customer"] });
    const failure = await expectFailure(client.attachTag({ tagId: tag!.id, entity: lead("l1") }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual([{ path: "entity.entityType", message: 'tag "Customers only" does not apply to lead' }]);
  });

  test.each([
    ["no entity", { tagId: "0123456789abcdef01234567" }, ["entity"]],
    ["an unknown entity type", { tagId: "0123456789abcdef01234567", entity: { entityType: "planet", entityId: "p" } }, ["entity.entityType"]],
    ["an empty entity id", { tagId: "0123456789abcdef01234567", entity: { entityType: "lead", entityId: "" } }, ["entity.entityId"]],
    ["a malformed tag id", { tagId: "zz", entity: lead("l1") }, ["tagId"]],
  ])("refuses %s", async (_, request, paths) => {
    const failure = await expectFailure(harness.workspace().attachTag(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual(paths);
  });

  test("answers NOT_FOUND for an unknown tag", async () => {
    const failure = await expectFailure(harness.workspace().attachTag({ tagId: "0123456789abcdef01234567", entity: lead("l1") }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Tag", id: "0123456789abcdef01234567" } });
  });
});

describe("BulkAttachTags and BulkDetachTags", () => {
  test("attach every tag to every entity, counting only new attachments", async () => {
    const client = harness.workspace();
    const [a, b, c] = await createTags(client, "a", "b", "c");
    await client.attachTag({ tagId: a!.id, entity: customer("c1") });
    const result = await client.bulkAttachTags({ tagIds: [a!.id, b!.id, c!.id, a!.id], entities: [customer("c1"), lead("l1")] });
    expect(result).toEqual({ attachedCount: 5 });
    expect(await usage(client, a!.id)).toBe(2);
    expect(await usage(client, b!.id)).toBe(2);
    expect((await client.listEntityTags({ entity: lead("l1") })).items.map((t) => t.name)).toEqual(["a", "b", "c"]);

    expect(await client.bulkDetachTags({ tagIds: [a!.id, b!.id], entities: [customer("c1"), lead("l1"), lead("never")] })).toEqual({ detachedCount: 4 });
    expect(await usage(client, a!.id)).toBe(0);
    expect(await usage(client, c!.id)).toBe(2);
  });

  test("writes nothing when one tag does not exist", async () => {
    const client = harness.workspace();
    const [a] = await createTags(client, "a");
    const failure = await expectFailure(client.bulkAttachTags({ tagIds: [a!.id, "0123456789abcdef01234567"], entities: [customer("c1"), customer("c2")] }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Tag", id: "0123456789abcdef01234567" } });
    expect(await usage(client, a!.id)).toBe(0);
    expect((await client.listEntityTags({ entity: customer("c1") })).items).toEqual([]);
  });

  test("writes nothing when one entity's type does not fit a tag", async () => {
    const client = harness.workspace();
    const { tag: leadsOnly } = await client.createTag({ name: "Leads only", entityTypes: ["lead"] });
    const failure = await expectFailure(client.bulkAttachTags({ tagIds: [leadsOnly!.id], entities: [lead("l1"), customer("c1"), lead("l2")] }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toEqual(["entities[1].entityType"]);
    expect(await usage(client, leadsOnly!.id)).toBe(0);
    expect((await client.listEntityTags({ entity: lead("l1") })).items).toEqual([]);
  });

  test("accepts 100 ids and refuses 101", async () => {
    const client = harness.workspace();
    const [a] = await createTags(client, "a");
    const hundred = Array.from({ length: 100 }, (_, i) => customer(`c${i}`));
    expect(await client.bulkAttachTags({ tagIds: [a!.id], entities: hundred })).toEqual({ attachedCount: 100 });
    expect(await usage(client, a!.id)).toBe(100);

    const tooMany = await expectFailure(client.bulkAttachTags({ tagIds: [a!.id], entities: [...hundred, customer("c100")] }));
    expect(tooMany.code).toBe("INVALID_ARGUMENT");
    expect(tooMany.violations).toEqual([{ path: "entities", message: "must have at most 100 items" }]);
    const tooManyTags = await expectFailure(client.bulkDetachTags({ tagIds: Array(101).fill(a!.id), entities: [customer("c1")] }));
    expect(tooManyTags.violations).toEqual([{ path: "tagIds", message: "must have at most 100 items" }]);
    expect(await usage(client, a!.id)).toBe(100);
  });

  test("refuses empty lists", async () => {
    const failure = await expectFailure(harness.workspace().bulkAttachTags({ tagIds: [], entities: [] }));
    expect(failure.violations.map((v) => v.path)).toEqual(["tagIds", "entities"]);
  });
});

describe("entity views", () => {
  test("SetEntityTags replaces an entity's tags", async () => {
    const client = harness.workspace();
    const [a, b, c] = await createTags(client, "a", "b", "c");
    await client.bulkAttachTags({ tagIds: [a!.id, b!.id], entities: [customer("c1")] });
    const { items } = await client.setEntityTags({ entity: customer("c1"), tagIds: [b!.id, c!.id] });
    expect(items.map((t) => t.name)).toEqual(["b", "c"]);
    expect([await usage(client, a!.id), await usage(client, b!.id), await usage(client, c!.id)]).toEqual([0, 1, 1]);
    expect((await client.setEntityTags({ entity: customer("c1"), tagIds: [] })).items).toEqual([]);
    expect(await usage(client, c!.id)).toBe(0);
  });

  test("BatchGetEntityTags answers in request order, empty for untagged entities", async () => {
    const client = harness.workspace();
    const [a, b] = await createTags(client, "a", "b");
    await client.bulkAttachTags({ tagIds: [a!.id, b!.id], entities: [customer("c1")] });
    await client.attachTag({ tagId: b!.id, entity: customer("c3") });
    await client.attachTag({ tagId: a!.id, entity: lead("c2") }); // same id, other type: not a customer's tag
    const { items } = await client.batchGetEntityTags({ entityType: "customer", entityIds: ["c3", "c2", "c1"] });
    expect(items.map((e) => [e.entityId, e.tags.map((t) => t.name)])).toEqual([
      ["c3", ["b"]],
      ["c2", []],
      ["c1", ["a", "b"]],
    ]);
  });

  test("ListTagEntities pages the entities carrying a tag, filtered by type", async () => {
    const client = harness.workspace();
    const [a] = await createTags(client, "a");
    await client.bulkAttachTags({ tagIds: [a!.id], entities: [customer("c1"), customer("c2"), lead("l1")] });
    const all = await client.listTagEntities({ tagId: a!.id, limit: 2 });
    expect(all.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    const customers = await client.listTagEntities({ tagId: a!.id, entityType: "customer" });
    expect(customers.items.map((i) => i.entityId).sort()).toEqual(["c1", "c2"]);
    expect((await expectFailure(client.listTagEntities({ tagId: "0123456789abcdef01234567" }))).code).toBe("NOT_FOUND");
  });

  test("GetTagUsage counts per entity type", async () => {
    const client = harness.workspace();
    const [a] = await createTags(client, "a");
    await client.bulkAttachTags({ tagIds: [a!.id], entities: [customer("c1"), customer("c2"), lead("l1")] });
    expect(await client.getTagUsage({ id: a!.id })).toEqual({
      tagId: a!.id,
      total: 3,
      byEntityType: [
        { entityType: "customer", count: 2 },
        { entityType: "lead", count: 1 },
      ],
    });
  });
});

describe("MergeTags", () => {
  test("moves attachments to the target, keeps one per entity, widens types and deletes the source", async () => {
    const client = harness.workspace();
    const { tag: source } = await client.createTag({ name: "Customer VIP", entityTypes: ["customer"] });
    const { tag: target } = await client.createTag({ name: "Lead VIP", entityTypes: ["lead"] });
    await client.bulkAttachTags({ tagIds: [source!.id], entities: [customer("c1"), customer("c2")] });
    await client.bulkAttachTags({ tagIds: [target!.id], entities: [lead("l1")] });

    const merged = await client.mergeTags({ sourceId: source!.id, targetId: target!.id });
    expect(merged.movedCount).toBe(2);
    expect(merged.tag).toMatchObject({ id: target!.id, usageCount: 3, entityTypes: ["customer", "lead"] });
    expect((await expectFailure(client.getTag({ id: source!.id }))).code).toBe("NOT_FOUND");
    expect((await client.listEntityTags({ entity: customer("c1") })).items.map((t) => t.name)).toEqual(["Lead VIP"]);
  });

  test("an entity carrying both tags keeps one attachment", async () => {
    const client = harness.workspace();
    const [source, target] = await createTags(client, "s", "t");
    await client.bulkAttachTags({ tagIds: [source!.id, target!.id], entities: [customer("c1")] });
    const merged = await client.mergeTags({ sourceId: source!.id, targetId: target!.id });
    expect(merged.movedCount).toBe(0);
    expect(merged.tag!.usageCount).toBe(1);
  });

  test("refuses merging a tag into itself or into an unknown tag", async () => {
    const client = harness.workspace();
    const [a] = await createTags(client, "a");
    const self = await expectFailure(client.mergeTags({ sourceId: a!.id, targetId: a!.id }));
    expect(self.violations.map((v) => v.path)).toEqual(["targetId"]);
    const unknown = await expectFailure(client.mergeTags({ sourceId: a!.id, targetId: "0123456789abcdef01234567" }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", resource: { id: "0123456789abcdef01234567" } });
    expect((await client.getTag({ id: a!.id })).tag!.name).toBe("a");
  });
});
