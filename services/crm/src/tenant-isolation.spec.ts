import { ListLeadsRequest } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import { expectFailure } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

// Every RPC, called from another workspace with the owner's ids, finds nothing and changes nothing.
let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

test("another workspace can neither see nor change a workspace's pipelines, stages and leads", async () => {
  const owner = harness.workspace();
  const intruder = harness.workspace();
  const { pipeline, open, won, lost } = await simplePipeline(owner);
  const { lead } = await owner.createLead({ firstName: "Secret", stageId: open.id, value: "999" });
  const leadId = lead!.id;
  const pipelineId = pipeline.id;
  const { task } = await owner.createTask({ title: "Call", leadId });
  const { activity } = await owner.logActivity({ leadId, type: "note", body: "private" });
  const taskId = task!.id;

  const notFound: [string, Promise<unknown>][] = [
    ["GetPipeline", intruder.getPipeline({ id: pipelineId })],
    ["UpdatePipeline", intruder.updatePipeline({ id: pipelineId, pipeline: { name: "Mine" }, updateMask: ["name"] })],
    ["ArchivePipeline", intruder.archivePipeline({ id: pipelineId })],
    ["UnarchivePipeline", intruder.unarchivePipeline({ id: pipelineId })],
    ["AddStage", intruder.addStage({ pipelineId, stage: { name: "X" } })],
    ["UpdateStage", intruder.updateStage({ pipelineId, id: open.id, stage: { name: "X" }, updateMask: ["name"] })],
    ["DeleteStage", intruder.deleteStage({ pipelineId, id: lost.id })],
    ["ReorderStages", intruder.reorderStages({ pipelineId, stageIds: [lost.id, won.id, open.id] })],
    ["GetBoard", intruder.getBoard({ pipelineId })],
    ["GetForecast", intruder.getForecast({ pipelineId })],
    ["ListStageLeads", intruder.listStageLeads({ pipelineId, stageId: open.id })],
    ["GetLead", intruder.getLead({ id: leadId })],
    ["UpdateLead", intruder.updateLead({ id: leadId, lead: { firstName: "Stolen" }, updateMask: ["first_name"] })],
    ["DeleteLead", intruder.deleteLead({ id: leadId })],
    ["ConvertLead", intruder.convertLead({ id: leadId })],
    ["MoveLead", intruder.moveLead({ id: leadId, stageId: won.id })],
    ["ListLeadHistory", intruder.listLeadHistory({ id: leadId })],
    ["BulkUpdateLeads", intruder.bulkUpdateLeads({ leadIds: [leadId], ownerId: "thief" })],
    ["GetTask", intruder.getTask({ id: taskId })],
    ["UpdateTask", intruder.updateTask({ id: taskId, task: { title: "Stolen" }, updateMask: ["title"] })],
    ["DeleteTask", intruder.deleteTask({ id: taskId })],
    ["CompleteTask", intruder.completeTask({ id: taskId })],
    ["ReopenTask", intruder.reopenTask({ id: taskId })],
    ["LogActivity", intruder.logActivity({ leadId, type: "note", body: "x" })],
    ["ListActivities", intruder.listActivities({ leadId })],
    ["DeleteActivity", intruder.deleteActivity({ leadId, id: activity!.id })],
    ["GetLeadTimeline", intruder.getLeadTimeline({ id: leadId })],
  ];
  for (const [name, call] of notFound) {
    const failure = await expectFailure(call);
    expect([name, failure.code]).toEqual([name, "NOT_FOUND"]);
  }
  // The intruder's writes that name the owner's stages are unknown stages to it.
  expect((await expectFailure(intruder.createLead({ firstName: "X", stageId: open.id }))).violations).toEqual([{ path: "stageId", message: "no such stage" }]);
  expect((await expectFailure(intruder.createLead({ firstName: "X", pipelineId }))).violations).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);
  const intruderLead = (await intruder.createLead({ firstName: "Own" })).lead!;
  expect((await expectFailure(intruder.moveLead({ id: intruderLead.id, stageId: won.id }))).violations[0]!.path).toBe("stageId");

  expect((await expectFailure(intruder.createTask({ title: "X", leadId }))).violations).toEqual([{ path: "leadId", message: "no such lead" }]);

  expect((await expectFailure(intruder.createLeadImportJob({ csv: "firstName\nX", pipelineId }))).violations).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);
  expect((await intruder.createLeadExportJob({ filter: { pipelineId } })).job!.totalRows).toBe(0);

  // Lists show only the caller's own data.
  expect((await intruder.listTasks({})).items).toEqual([]);
  expect((await intruder.listTasks({ leadId })).items).toEqual([]);
  expect((await intruder.listLeads({})).items.map((l) => l.id)).toEqual([intruderLead.id]);
  expect((await intruder.listLeads({ pipelineId })).items).toEqual([]);
  expect((await intruder.listPipelines({ includeArchived: true })).items.map((p) => p.id)).not.toContain(pipelineId);
  expect((await intruder.getDefaultPipeline({})).pipeline!.id).not.toBe(pipelineId);

  // Nothing of the owner's changed.
  const { pipeline: after } = await owner.getPipeline({ id: pipelineId });
  expect(after).toEqual(pipeline);
  const { lead: leadAfter } = await owner.getLead({ id: leadId });
  expect(leadAfter).toEqual(lead);
  expect((await owner.listLeadHistory({ id: leadId })).items).toHaveLength(1);
  expect((await owner.getBoard({ pipelineId })).columns[0]!.leadCount).toBe(1);
  expect((await owner.getTask({ id: taskId })).task).toEqual(task);
  expect((await owner.getLeadTimeline({ id: leadId })).pagination!.total).toBe(3);
});

test("a call without a workspace is refused", async () => {
  const failure = await expectFailure(harness.raw.listLeads(ListLeadsRequest.fromPartial({})));
  expect(failure.code).toBe("UNAUTHENTICATED");
});
