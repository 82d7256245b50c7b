import { newObjectId, ServiceError } from "@velaflows/kit";
import { expectFailure } from "@velaflows/testing";
import { startTagsHarness, type TagsHarness } from "./test-harness";

let harness: TagsHarness;
beforeAll(async () => {
  harness = await startTagsHarness();
});
afterAll(() => harness.stop());

describe("BatchGetTags", () => {
  test("answers the tags in request order, a repeated id each time", async () => {
    const client = harness.workspace();
    const { tag: a } = await client.createTag({ name: "A", entityTypes: ["lead"] });
    const { tag: b } = await client.createTag({ name: "B" });
    const { tag: c } = await client.createTag({ name: "C" });
    const { tags } = await client.batchGetTags({ ids: [c!.id, a!.id, c!.id, b!.id] });
    expect(tags.map((t) => t.name)).toEqual(["C", "A", "C", "B"]);
    expect(tags[1]).toMatchObject({ id: a!.id, entityTypes: ["lead"], workspaceId: client.workspaceId });
  });

  test("is all or nothing: unknown ids fail with NOT_FOUND naming every one of them", async () => {
    const client = harness.workspace();
    const { tag } = await client.createTag({ name: "Known" });
    const missing = [newObjectId(), newObjectId()];
    const request = { ids: [missing[0]!, tag!.id, missing[1]!, missing[0]!] };
    const failure = await expectFailure(client.batchGetTags(request));
    expect(failure).toMatchObject({ code: "NOT_FOUND", reason: "NOT_FOUND", resource: { type: "Tag", id: missing[0] } });
    expect(failure.message).toBe(`Tags not found: ${missing.join(", ")}`);
    // The ids travel in ErrorInfo metadata too, for callers that act on each of them.
    const error = await client.batchGetTags(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).metadata).toEqual({ missing_ids: missing.join(",") });
  });

  test("another workspace's tags are not found", async () => {
    const owner = harness.workspace();
    const { tag } = await owner.createTag({ name: "Private" });
    const failure = await expectFailure(harness.workspace().batchGetTags({ ids: [tag!.id] }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", message: `Tag not found: ${tag!.id}` });
  });

  test.each([
    ["no ids", [], [{ path: "ids", message: "is required" }]],
    ["101 ids", Array.from({ length: 101 }, () => newObjectId()), [{ path: "ids", message: "must have at most 100 items" }]],
    ["a malformed id", [newObjectId(), "nope"], [{ path: "ids[1]", message: "must be a 24-character hex id" }]],
  ])("refuses %s with the field path", async (_, ids, violations) => {
    const failure = await expectFailure(harness.workspace().batchGetTags({ ids }));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });
});
