import { expectFailure } from "@velaflows/testing";
import { startTagsHarness, type TagsHarness } from "./test-harness";

let harness: TagsHarness;
beforeAll(async () => {
  harness = await startTagsHarness();
});
afterAll(() => harness.stop());

test("one workspace never sees or changes another's tags", async () => {
  const owner = harness.workspace();
  const intruder = harness.workspace();
  const { tag } = await owner.createTag({ name: "Private", description: "owner's" });
  const { tag: intruderTag } = await intruder.createTag({ name: "Mine" });
  await owner.attachTag({ tagId: tag!.id, entity: { entityType: "customer", entityId: "shared-id" } });
  const id = tag!.id;
  const entity = { entityType: "customer", entityId: "shared-id" };

  // Every route that names the tag answers NOT_FOUND, exactly as for a tag that does not exist.
  const attempts = {
    getTag: intruder.getTag({ id }),
    batchGetTags: intruder.batchGetTags({ ids: [id] }),
    updateTag: intruder.updateTag({ id, tag: { name: "Hijacked" }, updateMask: ["name"] }),
    deleteTag: intruder.deleteTag({ id }),
    attachTag: intruder.attachTag({ tagId: id, entity }),
    detachTag: intruder.detachTag({ tagId: id, entity }),
    bulkAttachTags: intruder.bulkAttachTags({ tagIds: [id], entities: [entity] }),
    bulkDetachTags: intruder.bulkDetachTags({ tagIds: [id], entities: [entity] }),
    setEntityTags: intruder.setEntityTags({ entity, tagIds: [id] }),
    listTagEntities: intruder.listTagEntities({ tagId: id }),
    getTagUsage: intruder.getTagUsage({ id }),
    mergeIntoOwn: intruder.mergeTags({ sourceId: id, targetId: intruderTag!.id }),
    mergeFromOwn: intruder.mergeTags({ sourceId: intruderTag!.id, targetId: id }),
  };
  for (const [route, attempt] of Object.entries(attempts)) {
    const failure = await expectFailure(attempt);
    expect({ route, code: failure.code, resource: failure.resource }).toEqual({ route, code: "NOT_FOUND", resource: { type: "Tag", id } });
  }

  // Lists and entity views show only the caller's own data, even for the same entity id.
  expect((await intruder.listTags({})).items.map((t) => t.name)).toEqual(["Mine"]);
  expect((await intruder.listTags({ search: "Private" })).pagination!.total).toBe(0);
  expect((await intruder.listEntityTags({ entity })).items).toEqual([]);
  expect((await intruder.batchGetEntityTags({ entityType: "customer", entityIds: ["shared-id"] })).items).toEqual([{ entityId: "shared-id", tags: [] }]);

  // The intruder may use the same name in its own workspace.
  expect((await intruder.createTag({ name: "Private" })).tag!.workspaceId).toBe(intruder.workspaceId);

  // And the owner's data is untouched.
  const { tag: after } = await owner.getTag({ id });
  expect(after).toMatchObject({ name: "Private", description: "owner's", usageCount: 1 });
  expect((await owner.listEntityTags({ entity })).items.map((t) => t.id)).toEqual([id]);
  expect((await intruder.getTag({ id: intruderTag!.id })).tag!.usageCount).toBe(0);
});
