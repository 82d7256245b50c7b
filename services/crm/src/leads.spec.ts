import { expectFailure, readOutboxEvents } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, leadProperties, leadTags, newCustomer, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness({ customers: true });
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

describe("CreateLead", () => {
  test("the six documented fields create an open lead in the named stage, with its first history entry and crm.lead.created", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000003");
    const { pipeline, open } = await simplePipeline(client);
    const { lead } = await client.createLead({
      firstName: "Ana",
      lastName: "Silva",
      email: "Ana@Example.com",
      phone: "+5511999990000",
      pipelineId: pipeline.id,
      stageId: open.id,
    });
    expect(lead).toMatchObject({
      workspaceId: client.workspaceId,
      firstName: "Ana",
      lastName: "Silva",
      email: "ana@example.com",
      phone: "+5511999990000",
      pipelineId: pipeline.id,
      stageId: open.id,
      status: "open",
      value: "0",
      currency: "USD",
      source: "manual",
      createdBy: "6b0a00000000000000000003",
    });
    expect(lead!.id).toMatch(/^[0-9a-f]{24}$/);
    expect(lead!.closedAt).toBeUndefined();
    expect((await client.getLead({ id: lead!.id })).lead).toEqual(lead);

    const { items } = await client.listLeadHistory({ id: lead!.id });
    expect(items).toMatchObject([{ leadId: lead!.id, fromStageId: "", toStageId: open.id, toPipelineId: pipeline.id, timeInStageMs: "0", changedBy: "6b0a00000000000000000003" }]);
    const events = await readOutboxEvents("crm", "crm.lead.created", (data) => data.lead?._id === lead!.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.lead).toMatchObject({ firstName: "Ana", stageId: open.id, status: "open" });
  });

  test("every field round-trips: value in minor units, currency, close date, tags, custom properties, customer", async () => {
    const client = harness.workspace();
    const [hot, warm] = await leadTags(client, "hot", "warm");
    await leadProperties(client, { budget: "number", vip: "boolean", region: "text", dropped: "text" });
    const customerId = await newCustomer(client);
    const { lead } = await client.createLead({
      company: "Acme",
      source: "website",
      ownerId: "user-7",
      value: "1250000",
      currency: "EUR",
      expectedCloseDate: "2027-02-28",
      score: 80,
      country: "PT",
      tagIds: [hot!, hot!, warm!],
      customProperties: { budget: 5000, vip: true, region: "south", dropped: null },
      customerId,
    });
    expect(lead).toMatchObject({
      company: "Acme",
      source: "website",
      ownerId: "user-7",
      value: "1250000",
      currency: "EUR",
      expectedCloseDate: "2027-02-28",
      score: 80,
      country: "PT",
      tagIds: [hot!, warm!],
      customProperties: { budget: 5000, vip: true, region: "south" },
      customerId,
    });
    // Without a pipeline or stage the lead enters the first stage of the default pipeline.
    const { pipeline } = await client.getDefaultPipeline({});
    expect(lead).toMatchObject({ pipelineId: pipeline!.id, stageId: pipeline!.stages[0]!.id });
  });

  test("a lead created in a won stage is won and closed; in a lost stage it keeps its reason", async () => {
    const client = harness.workspace();
    const { won, lost } = await simplePipeline(client);
    const { lead: wonLead } = await client.createLead({ firstName: "W", stageId: won.id });
    expect(wonLead).toMatchObject({ status: "won" });
    expect(wonLead!.closedAt).toBeInstanceOf(Date);
    const { lead: lostLead } = await client.createLead({ firstName: "L", stageId: lost.id, lostReason: "price" });
    expect(lostLead).toMatchObject({ status: "lost", lostReason: "price" });
  });

  test("invalid pipeline and stage combinations are 422 with the field path", async () => {
    const client = harness.workspace();
    const first = await simplePipeline(client, "First");
    const second = await simplePipeline(client, "Second");
    const mismatch = await expectFailure(client.createLead({ firstName: "A", pipelineId: first.pipeline.id, stageId: second.open.id }));
    expect(mismatch).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "stageId", message: `is not a stage of pipeline ${first.pipeline.id}` }] });
    const unknownStage = await expectFailure(client.createLead({ firstName: "A", stageId: "6b0a0000000000000000dead" }));
    expect(unknownStage.violations).toEqual([{ path: "stageId", message: "no such stage" }]);
    const unknownPipeline = await expectFailure(client.createLead({ firstName: "A", pipelineId: "6b0a0000000000000000dead" }));
    expect(unknownPipeline.violations).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);
    const both = await expectFailure(client.createLead({ firstName: "A", pipelineId: "6b0a0000000000000000dead", stageId: first.open.id }));
    expect(both.violations).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);
    // A stage of another workspace is unknown here.
    const foreign = await expectFailure(harness.workspace().createLead({ firstName: "A", stageId: first.open.id }));
    expect(foreign.violations).toEqual([{ path: "stageId", message: "no such stage" }]);
    expect((await client.listLeads({})).pagination!.total).toBe(0);
  });

  test.each([
    ["no name, e-mail, phone or company", { source: "web" }, "firstName"],
    ["a bad e-mail", { firstName: "A", email: "nope" }, "email"],
    ["a phone not in E.164", { firstName: "A", phone: "12345" }, "phone"],
    ["a negative value", { firstName: "A", value: "-5" }, "value"],
    ["a lower-case currency", { firstName: "A", currency: "usd" }, "currency"],
    ["an impossible date", { firstName: "A", expectedCloseDate: "2027-02-30" }, "expectedCloseDate"],
    ["a country that is not ISO alpha-2", { firstName: "A", country: "Portugal" }, "country"],
    ["a tag id that is not an object id", { firstName: "A", tagIds: ["vip"] }, "tagIds[0]"],
  ])("refuses %s with the field path", async (_, request, path) => {
    const failure = await expectFailure(harness.workspace().createLead(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations.map((v) => v.path)).toContain(path);
  });
});

describe("UpdateLead", () => {
  test("writes only the masked fields, merges custom properties and publishes the changed fields", async () => {
    const client = harness.workspace();
    await leadProperties(client, { a: "number", b: "text", c: "boolean" });
    const { lead } = await client.createLead({ firstName: "Ana", company: "Acme", value: "100", customProperties: { a: 1, b: "x" } });
    const { lead: updated } = await client.updateLead({
      id: lead!.id,
      lead: { value: "250000", company: "ignored", customProperties: { b: null, c: true }, ownerId: "user-9" },
      updateMask: ["value", "custom_properties", "owner_id"],
    });
    expect(updated).toMatchObject({ firstName: "Ana", company: "Acme", value: "250000", ownerId: "user-9", customProperties: { a: 1, c: true } });
    const events = await readOutboxEvents("crm", "crm.lead.updated", (data) => data.lead?._id === lead!.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.changedFields).toEqual(["value", "custom_properties", "owner_id"]);

    // Clearing: empty strings remove the owner and close date.
    const { lead: cleared } = await client.updateLead({ id: lead!.id, lead: { ownerId: "" }, updateMask: ["owner_id"] });
    expect(cleared!.ownerId).toBe("");
    // An update that changes nothing publishes nothing.
    await client.updateLead({ id: lead!.id, lead: { firstName: "Ana" }, updateMask: ["first_name"] });
    expect(await readOutboxEvents("crm", "crm.lead.updated", (data) => data.lead?._id === lead!.id)).toHaveLength(2);
  });

  test("the stage, pipeline and status change only by moving", async () => {
    const client = harness.workspace();
    const { won } = await simplePipeline(client);
    const { lead } = await client.createLead({ firstName: "Ana" });
    const failure = await expectFailure(client.updateLead({ id: lead!.id, lead: { stageId: won.id }, updateMask: ["stage_id"] }));
    expect(failure.violations).toEqual([{ path: "lead.stageId", message: "changes only by moving the lead (POST /crm/leads/{id}/move)" }]);
    const unknown = await expectFailure(client.updateLead({ id: lead!.id, lead: { firstName: "B" }, updateMask: ["nickname"] }));
    expect(unknown.violations[0]!.path).toBe("updateMask");
    expect((await expectFailure(client.updateLead({ id: "6b0a0000000000000000dead", lead: { firstName: "B" }, updateMask: ["first_name"] }))).code).toBe("NOT_FOUND");
  });

  test("delete removes the lead and its history and publishes crm.lead.deleted", async () => {
    const client = harness.workspace();
    const { lead } = await client.createLead({ firstName: "Gone" });
    await client.deleteLead({ id: lead!.id });
    expect((await expectFailure(client.getLead({ id: lead!.id }))).code).toBe("NOT_FOUND");
    expect((await expectFailure(client.listLeadHistory({ id: lead!.id }))).code).toBe("NOT_FOUND");
    expect((await expectFailure(client.deleteLead({ id: lead!.id }))).code).toBe("NOT_FOUND");
    expect(await readOutboxEvents("crm", "crm.lead.deleted", (data) => data.leadId === lead!.id)).toHaveLength(1);
  });
});

describe("ListLeads", () => {
  test("sorts by a whitelisted field, filters and searches", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    const other = await simplePipeline(client, "Other");
    const [tag] = await leadTags(client, "hot");
    const customerId = await newCustomer(client);
    await leadProperties(client, { budget: "number", vip: "boolean", region: "text" });
    const a = (await client.createLead({ firstName: "Alice", company: "Acme", value: "500", ownerId: "u1", stageId: open.id, tagIds: [tag] })).lead!;
    const b = (await client.createLead({ firstName: "Bob", email: "bob@beta.io", value: "1500", ownerId: "u2", stageId: won.id })).lead!;
    const c = (await client.createLead({ firstName: "Carol", value: "900", ownerId: "u1", stageId: other.open.id, customerId })).lead!;

    const newest = await client.listLeads({ sortBy: "createdAt", sortOrder: "desc" });
    expect(newest.items.map((l) => l.id)).toEqual([c.id, b.id, a.id]);
    expect(newest.pagination).toEqual({ page: 1, limit: 20, total: 3, totalPages: 1 });
    const byValue = await client.listLeads({ sortBy: "value", sortOrder: "desc" });
    expect(byValue.items.map((l) => l.value)).toEqual(["1500", "900", "500"]);
    const paged = await client.listLeads({ sortBy: "value", sortOrder: "asc", limit: 2, page: 2 });
    expect(paged.items.map((l) => l.id)).toEqual([b.id]);

    const ids = async (request: Parameters<typeof client.listLeads>[0]) => (await client.listLeads(request)).items.map((l) => l.id).sort();
    expect(await ids({ pipelineId: pipeline.id })).toEqual([a.id, b.id].sort());
    expect(await ids({ stageId: won.id })).toEqual([b.id]);
    expect(await ids({ ownerId: "u1" })).toEqual([a.id, c.id].sort());
    expect(await ids({ status: "won" })).toEqual([b.id]);
    expect(await ids({ status: "open" })).toEqual([a.id, c.id].sort());
    expect(await ids({ tagId: tag })).toEqual([a.id]);
    expect(await ids({ customerId })).toEqual([c.id]);
    expect(await ids({ minValue: "900" })).toEqual([b.id, c.id].sort());
    expect(await ids({ minValue: "600", maxValue: "1000" })).toEqual([c.id]);
    expect(await ids({ maxValue: "500" })).toEqual([a.id]);
    expect(await ids({ createdAfter: b.createdAt })).toEqual([b.id, c.id].sort());
    expect(await ids({ createdBefore: b.createdAt })).toEqual([a.id]);
    expect(await ids({ search: "acm" })).toEqual([a.id]);
    expect(await ids({ search: "BETA" })).toEqual([b.id]);
    expect(await ids({ search: "car", ownerId: "u2" })).toEqual([]);

    await client.updateLead({ id: a.id, lead: { customProperties: { budget: 5000, vip: true, region: "south" } }, updateMask: ["custom_properties"] });
    await client.updateLead({ id: b.id, lead: { customProperties: { budget: 5000, vip: false } }, updateMask: ["custom_properties"] });
    expect(await ids({ customProperties: ["budget=5000"] })).toEqual([a.id, b.id].sort());
    expect(await ids({ customProperties: ["budget=5000", "vip=true"] })).toEqual([a.id]);
    expect(await ids({ customProperties: ["region=south=east"] })).toEqual([]);
    expect(await ids({ customProperties: ["missing="] })).toEqual([]);
  });

  test("refuses sort fields outside the whitelist and inverted ranges", async () => {
    const client = harness.workspace();
    expect((await expectFailure(client.listLeads({ sortBy: "email" }))).violations[0]!.path).toBe("sortBy");
    expect((await expectFailure(client.listLeads({ minValue: "10", maxValue: "5" }))).violations).toEqual([{ path: "maxValue", message: "must not be below minValue" }]);
    expect((await expectFailure(client.listLeads({ limit: 101 }))).violations[0]!.path).toBe("limit");
    expect((await expectFailure(client.listLeads({ customProperties: ["no equals sign"] }))).violations[0]!.path).toBe("customProperties[0]");
  });
});
