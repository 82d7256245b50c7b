import { expectFailure, readOutboxEvents } from "@velaflows/testing";
import { leadTags, simplePipeline, startCrmHarness, type CrmHarness } from "./test-harness";

let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness();
});
afterAll(() => harness.stop());

describe("ImportLeads", () => {
  test("imports rows into the named stages, with history, counters and crm.lead.created for each", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    const [hot, warm] = await leadTags(client, "hot", "warm");
    const csv = [
      "First name,Last_Name,E-mail,Phone,Company,Value,Currency,Close date,Stage,Tags,Score",
      `Ana,Silva,ANA@example.com,+5511999990000,Acme,150000,BRL,2027-02-01,Won,${hot};${warm},70`,
      '"Bruno, Jr.",Costa,,,,,,,,,',
      `Carla,,carla@example.com,,,999,,,${open.id},,`,
    ].join("\n");
    const result = await client.importLeads({ csv, pipelineId: pipeline.id });
    expect(result).toEqual({ createdCount: 3, validCount: 3, errors: [] });

    const { items } = await client.listLeads({ sortBy: "createdAt", sortOrder: "asc" });
    expect(items.map((l) => [l.firstName, l.stageId, l.status, l.value, l.currency, l.source])).toEqual([
      ["Ana", won.id, "won", "150000", "BRL", "import"],
      ["Bruno, Jr.", open.id, "open", "0", "USD", "import"],
      ["Carla", open.id, "open", "999", "USD", "import"],
    ]);
    expect(items[0]).toMatchObject({ email: "ana@example.com", expectedCloseDate: "2027-02-01", score: 70, tagIds: [hot, warm] });
    expect((await client.listLeadHistory({ id: items[0]!.id })).items).toHaveLength(1);
    expect((await client.getBoard({ pipelineId: pipeline.id })).columns.map((c) => c.leadCount)).toEqual([2, 1, 0]);
    expect(await readOutboxEvents("crm", "crm.lead.created", (d) => items.some((l) => l.id === d.lead?._id))).toHaveLength(3);
  });

  test("any invalid row refuses the whole file with row paths; a dry run lists the errors", async () => {
    const client = harness.workspace();
    const { pipeline } = await simplePipeline(client);
    const csv = ["firstName,email,value,stage,closeDate", "Ana,ana@example.com,100,Open,", ",nope,5,Nowhere,", "Carla,,-3,,2027-02-30"].join("\n");
    const refused = await expectFailure(client.importLeads({ csv, pipelineId: pipeline.id }));
    expect(refused.code).toBe("INVALID_ARGUMENT");
    expect(refused.violations).toEqual([
      { path: "rows[2].email", message: expect.any(String) },
      { path: "rows[2].stage", message: `no stage "Nowhere" in pipeline Deals` },
      { path: "rows[3].expectedCloseDate", message: "must be a calendar date YYYY-MM-DD" },
    ]);
    expect((await client.listLeads({})).pagination!.total).toBe(0);

    const dry = await client.importLeads({ csv, pipelineId: pipeline.id, dryRun: true });
    expect(dry.createdCount).toBe(0);
    expect(dry.validCount).toBe(1);
    expect(dry.errors.map((e) => [e.row, e.path])).toEqual([
      [2, "email"],
      [2, "stage"],
      [3, "expectedCloseDate"],
    ]);
    expect((await client.listLeads({})).pagination!.total).toBe(0);

    const negative = await expectFailure(client.importLeads({ csv: "firstName,value\nA,-3", pipelineId: pipeline.id }));
    expect(negative.violations).toEqual([{ path: "rows[1].value", message: "must be a whole number of minor units, at least 0" }]);
    const unknown = await expectFailure(client.importLeads({ csv: "firstName,shoeSize\nA,42" }));
    expect(unknown.violations).toEqual([{ path: "csv", message: "unknown column(s): shoeSize" }]);
    const headerOnly = await expectFailure(client.importLeads({ csv: "firstName" }));
    expect(headerOnly.violations[0]!.path).toBe("csv");
    const archived = await simplePipeline(client, "Old");
    await client.archivePipeline({ id: archived.pipeline.id });
    expect((await expectFailure(client.importLeads({ csv: "firstName\nA", pipelineId: archived.pipeline.id }))).violations[0]!.path).toBe("pipelineId");
  });

  test("without a pipeline the rows enter the default pipeline's first stage", async () => {
    const client = harness.workspace();
    await client.importLeads({ csv: "company\nAcme\nBeta" });
    const { pipeline } = await client.getDefaultPipeline({});
    const { items } = await client.listLeads({});
    expect(items.map((l) => [l.pipelineId, l.stageId])).toEqual([
      [pipeline!.id, pipeline!.stages[0]!.id],
      [pipeline!.id, pipeline!.stages[0]!.id],
    ]);
  });
});

describe("ExportLeads", () => {
  test("exports the matching leads as CSV with pipeline and stage names, and round-trips through import", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    const [hot] = await leadTags(client, "hot");
    await client.createLead({ firstName: "Ana", lastName: "Silva", email: "ana@example.com", value: "100", stageId: open.id, tagIds: [hot!] });
    await client.createLead({ firstName: "Bruno, Jr.", company: 'Say "hi"', stageId: won.id, ownerId: "u2" });
    const all = await client.exportLeads({});
    expect(all.rowCount).toBe(2);
    expect(all.file!.contentType).toBe("text/csv; charset=utf-8");
    const csv = all.file!.data.toString("utf8");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "_id,firstName,lastName,email,phone,company,source,ownerId,value,currency,expectedCloseDate,status,lostReason,score,country,pipelineId,pipeline,stageId,stage,customerId,tagIds,createdAt",
    );
    expect(lines[1]).toContain(`Ana,Silva,ana@example.com,,,manual,,100,USD,,open,,0,,${pipeline.id},Deals,${open.id},Open,,${hot},`);
    expect(lines[2]).toContain(`"Bruno, Jr.",,,,"Say ""hi""",manual,u2,0,USD,,won,`);
    expect((await client.exportLeads({ status: "won" })).rowCount).toBe(1);
    expect((await client.exportLeads({ ownerId: "u2" })).rowCount).toBe(1);
    expect((await client.exportLeads({ stageId: open.id })).rowCount).toBe(1);

    // The export (minus the columns an import does not take, and the tags, which are the first
    // workspace's) imports into another workspace's pipeline.
    const other = harness.workspace();
    const target = await simplePipeline(other);
    const keep = ["firstName", "lastName", "email", "company", "ownerId", "value", "currency", "stage"];
    const header = lines[0]!.split(",");
    const { parse } = await import("csv-parse/sync");
    const records = parse(csv) as string[][];
    const reduced = records.map((r) => keep.map((k) => r[header.indexOf(k)]!));
    const { stringify } = await import("csv-stringify/sync");
    const imported = await other.importLeads({ csv: stringify(reduced), pipelineId: target.pipeline.id });
    expect(imported.createdCount).toBe(2);
    const { items } = await other.listLeads({ sortBy: "createdAt", sortOrder: "asc" });
    expect(items.map((l) => [l.firstName, l.company, l.status, l.stageId])).toEqual([
      ["Ana", "", "open", target.open.id],
      ["Bruno, Jr.", 'Say "hi"', "won", target.won.id],
    ]);
  });
});
