import { expectFailure, readOutboxEvents } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, leadTags, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

describe("MoveLead", () => {
  test("records who moved the lead, from where, to where and how long it stayed; publishes crm.lead.stage_changed", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000004");
    const { pipeline } = await client.getDefaultPipeline({});
    const [newStage, qualified, proposal] = pipeline!.stages;
    const { lead } = await client.createLead({ firstName: "Ana" });

    const first = await client.moveLead({ id: lead!.id, stageId: qualified!.id });
    expect(first.lead).toMatchObject({ stageId: qualified!.id, status: "open" });
    expect(first.lead!.stageEnteredAt!.getTime()).toBeGreaterThanOrEqual(lead!.stageEnteredAt!.getTime());
    expect(first.change).toMatchObject({
      leadId: lead!.id,
      fromPipelineId: pipeline!.id,
      fromStageId: newStage!.id,
      toPipelineId: pipeline!.id,
      toStageId: qualified!.id,
      changedBy: "6b0a00000000000000000004",
    });
    expect(Number(first.change!.timeInStageMs)).toBe(first.lead!.stageEnteredAt!.getTime() - lead!.stageEnteredAt!.getTime());
    const second = await client.moveLead({ id: lead!.id, stageId: proposal!.id });

    const { items } = await client.listLeadHistory({ id: lead!.id });
    expect(items.map((c) => [c.fromStageId, c.toStageId])).toEqual([
      ["", newStage!.id],
      [newStage!.id, qualified!.id],
      [qualified!.id, proposal!.id],
    ]);
    expect(items[2]!.timeInStageMs).toBe(String(second.lead!.stageEnteredAt!.getTime() - first.lead!.stageEnteredAt!.getTime()));

    const events = await readOutboxEvents("crm", "crm.lead.stage_changed", (data) => data.lead?._id === lead!.id);
    expect(events.map((e) => [e.data.change.fromStageId, e.data.change.toStageId])).toEqual([
      [newStage!.id, qualified!.id],
      [qualified!.id, proposal!.id],
    ]);
    expect(events[1]!.data.lead.stageId).toBe(proposal!.id);
    expect(events[1]!.workspaceId).toBe(client.workspaceId);

    // Moving to the stage the lead is in records nothing.
    const same = await client.moveLead({ id: lead!.id, stageId: proposal!.id });
    expect(same.change).toBeUndefined();
    expect((await client.listLeadHistory({ id: lead!.id })).items).toHaveLength(3);
  });

  test("won and lost stages close the lead, an open stage reopens it", async () => {
    const client = harness.workspace();
    const { open, won, lost } = await simplePipeline(client);
    const { lead } = await client.createLead({ firstName: "Ana", stageId: open.id });

    const wonMove = await client.moveLead({ id: lead!.id, stageId: won.id, lostReason: "ignored" });
    expect(wonMove.lead).toMatchObject({ status: "won", lostReason: "" });
    expect(wonMove.lead!.closedAt).toEqual(wonMove.lead!.stageEnteredAt);
    expect(await readOutboxEvents("crm", "crm.lead.won", (data) => data.lead?._id === lead!.id)).toHaveLength(1);

    const lostMove = await client.moveLead({ id: lead!.id, stageId: lost.id, lostReason: "went with a competitor" });
    expect(lostMove.lead).toMatchObject({ status: "lost", lostReason: "went with a competitor" });
    expect(lostMove.lead!.closedAt).toEqual(lostMove.lead!.stageEnteredAt);
    const lostEvents = await readOutboxEvents("crm", "crm.lead.lost", (data) => data.lead?._id === lead!.id);
    expect(lostEvents.map((e) => e.data.lostReason)).toEqual(["went with a competitor"]);
    expect((await client.listLeads({ status: "lost" })).items.map((l) => l.id)).toEqual([lead!.id]);

    const reopened = await client.moveLead({ id: lead!.id, stageId: open.id });
    expect(reopened.lead).toMatchObject({ status: "open", lostReason: "" });
    expect(reopened.lead!.closedAt).toBeUndefined();
  });

  test("a stage of another pipeline is refused with 422 on stageId unless pipelineId names it", async () => {
    const client = harness.workspace();
    const first = await simplePipeline(client, "First");
    const second = await simplePipeline(client, "Second");
    const { lead } = await client.createLead({ firstName: "Ana", stageId: first.open.id });

    const refused = await expectFailure(client.moveLead({ id: lead!.id, stageId: second.open.id }));
    expect(refused.code).toBe("INVALID_ARGUMENT");
    expect(refused.violations).toEqual([{ path: "stageId", message: expect.stringContaining(`is a stage of pipeline ${second.pipeline.id}`) }]);
    const mismatch = await expectFailure(client.moveLead({ id: lead!.id, stageId: second.open.id, pipelineId: first.pipeline.id }));
    expect(mismatch.violations).toEqual([{ path: "stageId", message: `is not a stage of pipeline ${first.pipeline.id}` }]);
    expect((await client.getLead({ id: lead!.id })).lead!.stageId).toBe(first.open.id);
    expect(await readOutboxEvents("crm", "crm.lead.stage_changed", (data) => data.lead?._id === lead!.id)).toHaveLength(0);

    const moved = await client.moveLead({ id: lead!.id, stageId: second.open.id, pipelineId: second.pipeline.id });
    expect(moved.lead).toMatchObject({ pipelineId: second.pipeline.id, stageId: second.open.id });
    expect(moved.change).toMatchObject({ fromPipelineId: first.pipeline.id, toPipelineId: second.pipeline.id });

    await client.archivePipeline({ id: second.pipeline.id }).catch(() => undefined);
    const third = await simplePipeline(client, "Third");
    await client.archivePipeline({ id: third.pipeline.id });
    const archived = await expectFailure(client.moveLead({ id: lead!.id, stageId: third.open.id, pipelineId: third.pipeline.id }));
    expect(archived.violations).toEqual([{ path: "pipelineId", message: "the pipeline is archived" }]);
    expect((await expectFailure(client.moveLead({ id: "6b0a0000000000000000dead", stageId: first.open.id }))).code).toBe("NOT_FOUND");
  });
});

describe("BulkUpdateLeads", () => {
  test("moves and reassigns many leads in one call, recording each move", async () => {
    const client = harness.workspace();
    const { open, won } = await simplePipeline(client);
    const leads = await Promise.all(["A", "B", "C"].map(async (firstName) => (await client.createLead({ firstName, stageId: open.id })).lead!));
    const alreadyWon = (await client.createLead({ firstName: "D", stageId: won.id, ownerId: "u2" })).lead!;
    const ids = [...leads.map((l) => l.id), alreadyWon.id];

    const result = await client.bulkUpdateLeads({ leadIds: ids, stageId: won.id, ownerId: "u2" });
    expect(result.updatedCount).toBe(3);
    expect(result.leads.map((l) => [l.id, l.stageId, l.status, l.ownerId])).toEqual(ids.map((id) => [id, won.id, "won", "u2"]));
    for (const lead of leads) {
      expect((await client.listLeadHistory({ id: lead.id })).items.map((c) => c.toStageId)).toEqual([open.id, won.id]);
    }
    const changed = await readOutboxEvents("crm", "crm.lead.stage_changed", (data) => ids.includes(data.lead?._id));
    expect(changed).toHaveLength(3);
    expect(await readOutboxEvents("crm", "crm.lead.won", (data) => ids.includes(data.lead?._id))).toHaveLength(3);

    const unassigned = await client.bulkUpdateLeads({ leadIds: ids, ownerId: "" });
    expect(unassigned.leads.map((l) => l.ownerId)).toEqual(["", "", "", ""]);

    const [hot, cold, vip] = await leadTags(client, "hot", "cold", "vip");
    await client.updateLead({ id: ids[0], lead: { tagIds: [cold, vip] }, updateMask: ["tag_ids"] });
    const tagged = await client.bulkUpdateLeads({ leadIds: ids.slice(0, 2), addTagIds: [hot, vip], removeTagIds: [cold] });
    expect(tagged.updatedCount).toBe(2);
    expect(tagged.leads.map((l) => l.tagIds)).toEqual([
      [vip, hot],
      [hot, vip],
    ]);
    const tagEvents = await readOutboxEvents("crm", "crm.lead.updated", (data) => data.lead?._id === ids[1]);
    expect(tagEvents.map((e) => e.data.changedFields)).toEqual([["owner_id"], ["owner_id"], ["tag_ids"]]);
    expect((await expectFailure(client.bulkUpdateLeads({ leadIds: ids, addTagIds: [hot], removeTagIds: [hot] }))).violations[0]!.path).toBe("removeTagIds");
  });

  test("is all or nothing: an unknown lead or a stage outside one lead's pipeline changes nothing", async () => {
    const client = harness.workspace();
    const first = await simplePipeline(client, "First");
    const second = await simplePipeline(client, "Second");
    const a = (await client.createLead({ firstName: "A", stageId: first.open.id, ownerId: "u1" })).lead!;
    const b = (await client.createLead({ firstName: "B", stageId: second.open.id, ownerId: "u1" })).lead!;
    const stranger = (await harness.workspace().createLead({ firstName: "Z" })).lead!;

    const unknown = await expectFailure(client.bulkUpdateLeads({ leadIds: [a.id, "6b0a0000000000000000dead"], stageId: first.won.id, ownerId: "u9" }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", resource: { type: "Lead", id: "6b0a0000000000000000dead" } });
    const foreign = await expectFailure(client.bulkUpdateLeads({ leadIds: [a.id, stranger.id], ownerId: "u9" }));
    expect(foreign).toMatchObject({ code: "NOT_FOUND", resource: { type: "Lead", id: stranger.id } });
    const mixed = await expectFailure(client.bulkUpdateLeads({ leadIds: [a.id, b.id], stageId: first.won.id, ownerId: "u9" }));
    expect(mixed.code).toBe("INVALID_ARGUMENT");
    expect(mixed.violations[0]).toMatchObject({ path: "stageId", message: expect.stringContaining(`lead ${b.id}`) });

    for (const lead of [a, b]) {
      const { lead: after } = await client.getLead({ id: lead.id });
      expect(after).toMatchObject({ stageId: lead.stageId, ownerId: "u1", status: "open" });
      expect((await client.listLeadHistory({ id: lead.id })).items).toHaveLength(1);
    }
    expect(await readOutboxEvents("crm", "crm.lead.stage_changed", (data) => [a.id, b.id].includes(data.lead?._id))).toHaveLength(0);
    expect(await readOutboxEvents("crm", "crm.lead.updated", (data) => [a.id, b.id].includes(data.lead?._id))).toHaveLength(0);
  });

  test("needs a change and at most 100 leads", async () => {
    const client = harness.workspace();
    const { lead } = await client.createLead({ firstName: "A" });
    expect((await expectFailure(client.bulkUpdateLeads({ leadIds: [lead!.id] }))).violations[0]!.path).toBe("stageId");
    const tooMany = Array.from({ length: 101 }, () => lead!.id);
    expect((await expectFailure(client.bulkUpdateLeads({ leadIds: tooMany, ownerId: "u" }))).violations[0]!.path).toBe("leadIds");
  });
});

describe("GetBoard", () => {
  test("shows every stage in order with counts, value sums per currency and the newest leads", async () => {
    const client = harness.workspace();
    const { pipeline, open, won, lost } = await simplePipeline(client);
    const make = async (firstName: string, stageId: string, value: string, currency = "USD", ownerId = "u1") =>
      (await client.createLead({ firstName, stageId, value, currency, ownerId })).lead!;
    const o1 = await make("o1", open.id, "100");
    const o2 = await make("o2", open.id, "250");
    const o3 = await make("o3", open.id, "1000", "EUR", "u2");
    const w1 = await make("w1", won.id, "5000");
    // A lead in another pipeline never shows.
    const elsewhere = await simplePipeline(client, "Elsewhere");
    await client.createLead({ firstName: "elsewhere", value: "77", stageId: elsewhere.open.id });

    const board = await client.getBoard({ pipelineId: pipeline.id, leadsPerStage: 2 });
    expect(board.pipeline!.id).toBe(pipeline.id);
    expect(board.columns.map((c) => c.stage!.id)).toEqual([open.id, won.id, lost.id]);
    const [openColumn, wonColumn, lostColumn] = board.columns;
    expect(openColumn).toMatchObject({ leadCount: 3, hasMore: true, valueSums: [{ currency: "EUR", amount: "1000" }, { currency: "USD", amount: "350" }] });
    expect(openColumn!.leads.map((l) => l.id)).toEqual([o3.id, o2.id]);
    expect(wonColumn).toMatchObject({ leadCount: 1, hasMore: false, valueSums: [{ currency: "USD", amount: "5000" }] });
    expect(wonColumn!.leads.map((l) => l.id)).toEqual([w1.id]);
    expect(lostColumn).toMatchObject({ leadCount: 0, hasMore: false, valueSums: [], leads: [] });

    const mine = await client.getBoard({ pipelineId: pipeline.id, ownerId: "u1" });
    expect(mine.columns[0]).toMatchObject({ leadCount: 2, valueSums: [{ currency: "USD", amount: "350" }] });

    // The rest of a column, page by page.
    const page2 = await client.listStageLeads({ pipelineId: pipeline.id, stageId: open.id, page: 2, limit: 2 });
    expect(page2.items.map((l) => l.id)).toEqual([o1.id]);
    expect(page2.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
    expect((await expectFailure(client.listStageLeads({ pipelineId: pipeline.id, stageId: elsewhere.open.id }))).code).toBe("NOT_FOUND");

    // Moves show up on the board.
    await client.moveLead({ id: o3.id, stageId: lost.id, lostReason: "budget" });
    const after = await client.getBoard({ pipelineId: pipeline.id });
    expect(after.columns.map((c) => c.leadCount)).toEqual([2, 1, 1]);
    expect(after.columns[2]!.leads[0]).toMatchObject({ id: o3.id, status: "lost", lostReason: "budget" });
  });
});

describe("stage counters", () => {
  test("board and list totals kept in counters equal the leads after creates, revalues, moves, bulk moves and deletes", async () => {
    const client = harness.workspace();
    const first = await simplePipeline(client, "First");
    const second = await simplePipeline(client, "Second");
    const make = async (stageId: string, value: string, currency = "USD") => (await client.createLead({ firstName: "L", stageId, value, currency, ownerId: "u1" })).lead!;
    const a = await make(first.open.id, "100");
    const b = await make(first.open.id, "200", "EUR");
    const c = await make(first.won.id, "300");
    const d = await make(second.open.id, "400");
    const e = await make(second.lost.id, "500");

    await client.updateLead({ id: a.id, lead: { value: "150" }, updateMask: ["value"] });
    await client.updateLead({ id: b.id, lead: { currency: "BRL", value: "250" }, updateMask: ["currency", "value"] });
    await client.moveLead({ id: c.id, stageId: first.lost.id });
    await client.moveLead({ id: d.id, stageId: first.open.id, pipelineId: first.pipeline.id });
    await client.bulkUpdateLeads({ leadIds: [a.id, d.id], stageId: first.won.id });
    await client.deleteLead({ id: e.id });
    // A refused bulk update leaves the counters as they were.
    await expectFailure(client.bulkUpdateLeads({ leadIds: [a.id, "6b0a0000000000000000dead"], stageId: first.open.id }));

    // Filtering by the one owner every lead has takes the aggregation path: both must agree.
    for (const { pipeline } of [first, second]) {
      const counted = await client.getBoard({ pipelineId: pipeline.id });
      const aggregated = await client.getBoard({ pipelineId: pipeline.id, ownerId: "u1" });
      expect(counted.columns.map((col) => [col.leadCount, col.valueSums])).toEqual(aggregated.columns.map((col) => [col.leadCount, col.valueSums]));
    }
    expect((await client.getBoard({ pipelineId: first.pipeline.id })).columns.map((col) => [col.leadCount, col.valueSums])).toEqual([
      [1, [{ currency: "BRL", amount: "250" }]],
      [2, [{ currency: "USD", amount: "550" }]],
      [1, [{ currency: "USD", amount: "300" }]],
    ]);
    expect((await client.getBoard({ pipelineId: second.pipeline.id })).columns.map((col) => col.leadCount)).toEqual([0, 0, 0]);
    for (const filter of [{}, { status: "won" }, { status: "open" }, { status: "lost" }, { pipelineId: first.pipeline.id }, { stageId: first.won.id }, { pipelineId: second.pipeline.id, status: "open" }]) {
      const counted = (await client.listLeads(filter)).pagination!.total;
      const aggregated = (await client.listLeads({ ...filter, ownerId: "u1" })).pagination!.total;
      expect([filter, counted]).toEqual([filter, aggregated]);
    }
    expect((await client.listLeads({})).pagination!.total).toBe(4);
  });
});
