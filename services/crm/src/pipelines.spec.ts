import { expectFailure, readOutboxEvents } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

describe("default pipeline", () => {
  test("is created on first use with the standard stages, once", async () => {
    const client = harness.workspace();
    const { pipeline } = await client.getDefaultPipeline({});
    expect(pipeline).toMatchObject({ name: "Sales pipeline", isDefault: true, archived: false, workspaceId: client.workspaceId });
    expect(pipeline!.stages.map((s) => [s.name, s.probability, s.position, s.isWon, s.isLost])).toEqual([
      ["New", 10, 0, false, false],
      ["Qualified", 25, 1, false, false],
      ["Proposal", 50, 2, false, false],
      ["Negotiation", 75, 3, false, false],
      ["Won", 100, 4, true, false],
      ["Lost", 0, 5, false, true],
    ]);
    const again = await client.getDefaultPipeline({});
    expect(again.pipeline!.id).toBe(pipeline!.id);
    const { items } = await client.listPipelines({});
    expect(items.map((p) => p.id)).toEqual([pipeline!.id]);
    const created = await readOutboxEvents("crm", "crm.pipeline.created", (data) => data.pipeline?._id === pipeline!.id);
    expect(created).toHaveLength(1);
  });

  test("concurrent first uses make exactly one default pipeline", async () => {
    const client = harness.workspace();
    const results = await Promise.all([
      client.getDefaultPipeline({}),
      client.listPipelines({}),
      client.createLead({ firstName: "A" }),
      client.getDefaultPipeline({}),
      client.createLead({ firstName: "B" }),
    ]);
    const { items } = await client.listPipelines({ includeArchived: true });
    expect(items).toHaveLength(1);
    expect(results[0].pipeline!.id).toBe(items[0]!.id);
    expect(results[3].pipeline!.id).toBe(items[0]!.id);
    expect(results[2].lead!.pipelineId).toBe(items[0]!.id);
    expect(results[4].lead!.pipelineId).toBe(items[0]!.id);
    expect(items[0]!.stages).toHaveLength(6);
  });

  test("the workspace's first created pipeline becomes its default", async () => {
    const client = harness.workspace();
    const { pipeline } = await simplePipeline(client, "Mine");
    expect(pipeline.isDefault).toBe(true);
    expect((await client.getDefaultPipeline({})).pipeline!.id).toBe(pipeline.id);
    const second = await simplePipeline(client, "Second");
    expect(second.pipeline.isDefault).toBe(false);
  });
});

describe("pipelines", () => {
  test("create, get, rename, make default, archive", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000002");
    const first = await simplePipeline(client, "First");
    const { pipeline } = await client.createPipeline({
      name: "  Partners ",
      stages: [{ name: "Intro", color: "#112233", probability: 5 }, { name: "Signed", probability: 100, isWon: true }],
    });
    expect(pipeline).toMatchObject({ name: "Partners", isDefault: false, createdBy: "6b0a00000000000000000002" });
    expect(pipeline!.stages).toMatchObject([
      { name: "Intro", color: "#112233", probability: 5, position: 0, pipelineId: pipeline!.id },
      { name: "Signed", color: "#6b7280", probability: 100, position: 1, isWon: true },
    ]);
    expect((await client.getPipeline({ id: pipeline!.id })).pipeline).toEqual(pipeline);

    const renamed = await client.updatePipeline({ id: pipeline!.id, pipeline: { name: "Partner deals" }, updateMask: ["name"] });
    expect(renamed.pipeline!.name).toBe("Partner deals");

    const madeDefault = await client.updatePipeline({ id: pipeline!.id, pipeline: { isDefault: true }, updateMask: ["is_default"] });
    expect(madeDefault.pipeline!.isDefault).toBe(true);
    expect((await client.getPipeline({ id: first.pipeline.id })).pipeline!.isDefault).toBe(false);
    expect((await client.listPipelines({})).items.map((p) => p.id)).toEqual([pipeline!.id, first.pipeline.id]);

    const refused = await expectFailure(client.archivePipeline({ id: pipeline!.id }));
    expect(refused).toMatchObject({ code: "FAILED_PRECONDITION", reason: "PIPELINE_IS_DEFAULT" });
    const archived = await client.archivePipeline({ id: first.pipeline.id });
    expect(archived.pipeline!.archived).toBe(true);
    expect((await client.listPipelines({})).items.map((p) => p.id)).toEqual([pipeline!.id]);
    expect((await client.listPipelines({ includeArchived: true })).items).toHaveLength(2);
    const events = await readOutboxEvents("crm", "crm.pipeline.archived", (data) => data.pipeline?._id === first.pipeline.id);
    expect(events).toHaveLength(1);

    // An archived pipeline takes no new leads and cannot become the default.
    const lead = await expectFailure(client.createLead({ firstName: "X", pipelineId: first.pipeline.id }));
    expect(lead).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "pipelineId", message: "the pipeline is archived" }] });
    const toDefault = await expectFailure(client.updatePipeline({ id: first.pipeline.id, pipeline: { isDefault: true }, updateMask: ["is_default"] }));
    expect(toDefault.reason).toBe("PIPELINE_ARCHIVED");

    // Unarchived, it takes leads again.
    const restored = await client.unarchivePipeline({ id: first.pipeline.id });
    expect(restored.pipeline!.archived).toBe(false);
    expect((await client.createLead({ firstName: "X", pipelineId: first.pipeline.id })).lead!.pipelineId).toBe(first.pipeline.id);
  });

  test.each([
    ["no stages", { name: "P", stages: [] }, "stages"],
    ["a stage both won and lost", { name: "P", stages: [{ name: "S", isWon: true, isLost: true }] }, "stages[0].isLost"],
    ["a probability above 100", { name: "P", stages: [{ name: "S", probability: 101 }] }, "stages[0].probability"],
    ["a bad colour", { name: "P", stages: [{ name: "S", color: "blue" }] }, "stages[0].color"],
    ["a blank name", { name: "   ", stages: [{ name: "S" }] }, "name"],
  ])("refuses %s with the field path", async (_, request, path) => {
    const failure = await expectFailure(harness.workspace().createPipeline(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toContain(path);
  });

  test("unknown pipelines are 404", async () => {
    const client = harness.workspace();
    const id = "6b0a0000000000000000ffff";
    expect(await expectFailure(client.getPipeline({ id }))).toMatchObject({ code: "NOT_FOUND", resource: { type: "Pipeline", id } });
    expect((await expectFailure(client.archivePipeline({ id }))).code).toBe("NOT_FOUND");
    expect((await expectFailure(client.getBoard({ pipelineId: id }))).code).toBe("NOT_FOUND");
  });
});

describe("stages", () => {
  test("add at a position, update, reorder and delete", async () => {
    const client = harness.workspace();
    const { pipeline, open, won, lost } = await simplePipeline(client);
    const added = await client.addStage({ pipelineId: pipeline.id, stage: { name: "Demo", probability: 40, color: "#abcdef" }, position: 1 });
    expect(added.stage).toMatchObject({ name: "Demo", position: 1, probability: 40 });
    expect(added.pipeline!.stages.map((s) => s.name)).toEqual(["Open", "Demo", "Won", "Lost"]);
    const atEnd = await client.addStage({ pipelineId: pipeline.id, stage: { name: "Later" } });
    expect(atEnd.stage!.position).toBe(4);

    const updated = await client.updateStage({ pipelineId: pipeline.id, id: added.stage!.id, stage: { probability: 60, name: "Demo done" }, updateMask: ["probability", "name"] });
    expect(updated.stage).toMatchObject({ name: "Demo done", probability: 60, color: "#abcdef" });

    const reordered = await client.reorderStages({ pipelineId: pipeline.id, stageIds: [atEnd.stage!.id, open.id, added.stage!.id, lost.id, won.id] });
    expect(reordered.pipeline!.stages.map((s) => [s.name, s.position])).toEqual([
      ["Later", 0],
      ["Open", 1],
      ["Demo done", 2],
      ["Lost", 3],
      ["Won", 4],
    ]);

    const afterDelete = await client.deleteStage({ pipelineId: pipeline.id, id: atEnd.stage!.id });
    expect(afterDelete.pipeline!.stages.map((s) => [s.name, s.position])).toEqual([
      ["Open", 0],
      ["Demo done", 1],
      ["Lost", 2],
      ["Won", 3],
    ]);
    const updates = await readOutboxEvents("crm", "crm.pipeline.updated", (data) => data.pipeline?._id === pipeline.id);
    expect(updates).toHaveLength(5);
  });

  test("reorder must name every stage of the pipeline once", async () => {
    const client = harness.workspace();
    const { pipeline, open, won, lost } = await simplePipeline(client);
    const other = await simplePipeline(client, "Other");
    const missing = await expectFailure(client.reorderStages({ pipelineId: pipeline.id, stageIds: [open.id, won.id] }));
    expect(missing.violations).toEqual([{ path: "stageIds", message: "must name all 3 stages of the pipeline" }]);
    const foreign = await expectFailure(client.reorderStages({ pipelineId: pipeline.id, stageIds: [open.id, won.id, other.lost.id] }));
    expect(foreign.violations).toEqual([{ path: "stageIds[2]", message: "is not a stage of this pipeline" }]);
    const repeated = await expectFailure(client.reorderStages({ pipelineId: pipeline.id, stageIds: [open.id, won.id, won.id] }));
    expect(repeated.violations[0]!.path).toBe("stageIds");
    expect((await client.getPipeline({ id: pipeline.id })).pipeline!.stages.map((s) => s.id)).toEqual([open.id, won.id, lost.id]);
  });

  test("a stage holding leads keeps its won/lost flags and cannot be deleted; the last stage stays", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    await client.createLead({ firstName: "Ana", stageId: open.id });
    const flag = await expectFailure(client.updateStage({ pipelineId: pipeline.id, id: open.id, stage: { isWon: true }, updateMask: ["is_won"] }));
    expect(flag).toMatchObject({ code: "FAILED_PRECONDITION", reason: "STAGE_NOT_EMPTY" });
    const both = await expectFailure(client.updateStage({ pipelineId: pipeline.id, id: won.id, stage: { isLost: true }, updateMask: ["is_lost"] }));
    expect(both.violations).toEqual([{ path: "stage.isLost", message: "a stage is won or lost, not both" }]);
    const del = await expectFailure(client.deleteStage({ pipelineId: pipeline.id, id: open.id }));
    expect(del).toMatchObject({ code: "FAILED_PRECONDITION", reason: "STAGE_NOT_EMPTY" });

    const single = await client.createPipeline({ name: "One", stages: [{ name: "Only" }] });
    const last = await expectFailure(client.deleteStage({ pipelineId: single.pipeline!.id, id: single.pipeline!.stages[0]!.id }));
    expect(last.reason).toBe("LAST_STAGE");
    // A stage of another pipeline is not found under this one.
    expect((await expectFailure(client.deleteStage({ pipelineId: single.pipeline!.id, id: won.id }))).code).toBe("NOT_FOUND");
  });
});
