import { newObjectId } from "@velaflows/kit";
import { JobStatus, type LeadExportJob, type LeadImportJob } from "@velaflows/proto/ts/velaflows/crm/v1/crm";
import { eventually, expectFailure, readOutboxEvents } from "@velaflows/testing";
import { HARNESS_START_TIMEOUT_MS, leadProperties, leadTags, newCustomer, simplePipeline, startCrmHarness, type CrmClient, type CrmHarness } from "./test-harness";

// Leads import and export as background jobs (the kit's runner, polling often here), against the
// real Tags, Custom Properties and Customers services.
let harness: CrmHarness;
beforeAll(async () => {
  harness = await startCrmHarness({ customers: true, env: { CRM_JOB_POLL_MS: "20", CRM_IMPORT_BATCH_ROWS: "2", CRM_EXPORT_BATCH_ROWS: "2" } });
}, HARNESS_START_TIMEOUT_MS);
afterAll(() => harness.stop());

const done = (status: JobStatus | undefined) => status === JobStatus.JOB_STATUS_COMPLETED || status === JobStatus.JOB_STATUS_FAILED;

async function importFinished(client: CrmClient, id: string): Promise<LeadImportJob> {
  return (await eventually(() => client.getLeadImportJob({ id }), (r) => done(r.job?.status))).job!;
}

async function exportFinished(client: CrmClient, id: string): Promise<LeadExportJob> {
  return (await eventually(() => client.getLeadExportJob({ id }), (r) => done(r.job?.status))).job!;
}

describe("import jobs", () => {
  test("rows enter their stages in batches with history, counters and crm.lead.created; refused rows are kept with their column and reason", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    const [hot, warm] = await leadTags(client, "hot", "warm");
    const customerId = await newCustomer(client);
    await leadProperties(client, { budget: "number" });
    const csv = [
      "First name,Last_Name,E-mail,Value,Currency,Close date,Stage,Tags,Score,customerId,customProperties.budget",
      `Ana,Silva,ANA@example.com,150000,BRL,2027-02-01,Won,${hot};${warm},70,${customerId},5000`,
      '"Bruno, Jr.",Costa,,,,,,,,,',
      ",,nope,5,,,Nowhere,,,,", // 3: bad e-mail
      "Dora,,,3,,2027-02-30,,,,,", // 4: bad date
      `Eve,,,,,,${open.id},6b0a00000000000000000a99,,6b0a00000000000000000c99,lots`, // 5: unknown tag and customer, bad budget
      "Fay,,,,,,Nowhere,,,,", // 6: unknown stage
    ].join("\n");
    const { job: queued } = await client.createLeadImportJob({ csv, fileName: "leads.csv", pipelineId: pipeline.id });
    expect(queued).toMatchObject({ status: JobStatus.JOB_STATUS_QUEUED, fileName: "leads.csv", pipelineId: pipeline.id, upsertKey: "", dryRun: false });
    expect(queued!.mapping.map((m) => m.field)).toEqual([
      "firstName",
      "lastName",
      "email",
      "value",
      "currency",
      "expectedCloseDate",
      "stage",
      "tags",
      "score",
      "customerId",
      "customProperties.budget",
    ]);
    const job = await importFinished(client, queued!.id);
    expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, processedRows: 6, createdCount: 2, updatedCount: 0, errorCount: 4 });
    expect(job.finishedAt).toBeInstanceOf(Date);

    const { items } = await client.listLeads({ sortBy: "createdAt", sortOrder: "asc" });
    expect(items.map((l) => [l.firstName, l.stageId, l.status, l.value, l.currency, l.source])).toEqual([
      ["Ana", won.id, "won", "150000", "BRL", "import"],
      ["Bruno, Jr.", open.id, "open", "0", "USD", "import"],
    ]);
    expect(items[0]).toMatchObject({ email: "ana@example.com", expectedCloseDate: "2027-02-01", score: 70, tagIds: [hot, warm], customerId, customProperties: { budget: 5000 } });
    expect((await client.listLeadHistory({ id: items[0]!.id })).items).toHaveLength(1);
    expect((await client.getBoard({ pipelineId: pipeline.id })).columns.map((c) => c.leadCount)).toEqual([1, 1, 0]);
    expect(await readOutboxEvents("crm", "crm.lead.created", (d) => items.some((l) => l.id === d.lead?._id))).toHaveLength(2);

    const errors = await client.getLeadImportErrors({ id: job.id });
    expect(errors.errorCount).toBe(6);
    expect(errors.file).toMatchObject({ contentType: "text/csv; charset=utf-8" });
    const lines = errors.file!.data.toString("utf8").trim().split("\n");
    expect(lines[0]).toBe("row,column,message,data");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "3,E-mail",
      "4,Close date",
      "5,customProperties.budget",
      "5,customerId",
      "5,Tags",
      "6,Stage",
    ]);
    expect(lines[6]).toContain('no stage ""Nowhere"" in pipeline Deals');
    expect(lines[6]).toContain("Fay,,,,,,Nowhere,,,,");
    expect((await client.listLeadImportJobs({})).items.map((j) => j.id)).toEqual([job.id]);
  });

  test("a dry run counts what would happen and writes nothing", async () => {
    const client = harness.workspace();
    await client.createLead({ firstName: "Ana", email: "ana@example.com" });
    const csv = ["email,firstName", "ana@example.com,Anna", "bo@example.com,Bo", "bad,Cy"].join("\n");
    const { job } = await client.createLeadImportJob({ csv, upsertKey: "email", dryRun: true });
    expect(await importFinished(client, job!.id)).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, createdCount: 1, updatedCount: 1, errorCount: 1, dryRun: true });
    expect((await client.listLeads({})).items.map((l) => l.firstName)).toEqual(["Ana"]);
  });

  test("with an upsert key, rows matching a lead update it (non-empty cells; properties merge; the stage stays), and a repeated new key updates the lead its first row created", async () => {
    const client = harness.workspace();
    const { pipeline, open } = await simplePipeline(client);
    await leadProperties(client, { budget: "number", region: "text" });
    const { lead: ana } = await client.createLead({ firstName: "Ana", email: "ana@example.com", company: "Acme", value: "100", stageId: open.id, customProperties: { region: "north" } });
    const csv = ["Email,First,Company,Amount,Budget", "ANA@example.com,Anna,,250,10", "bo@example.com,Bo,Beta,,", "bo@example.com,Bob,,,7"].join("\n");
    const mapping = [
      { column: "Email", field: "email" },
      { column: "First", field: "firstName" },
      { column: "Company", field: "company" },
      { column: "Amount", field: "value" },
      { column: "Budget", field: "customProperties.budget" },
    ];
    const { job } = await client.createLeadImportJob({ csv, pipelineId: pipeline.id, mapping, upsertKey: "email" });
    expect(await importFinished(client, job!.id)).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, processedRows: 3, createdCount: 1, updatedCount: 2, errorCount: 0 });
    const { lead: updated } = await client.getLead({ id: ana!.id });
    expect(updated).toMatchObject({ firstName: "Anna", company: "Acme", value: "250", stageId: open.id, customProperties: { region: "north", budget: 10 } });
    const { items } = await client.listLeads({ search: "bo@example.com" });
    expect(items.map((l) => [l.firstName, l.company, l.customProperties])).toEqual([["Bob", "Beta", { budget: 7 }]]);
    // The stage counters follow the new value.
    const board = await client.getBoard({ pipelineId: pipeline.id });
    expect(board.columns[0]!.leadCount).toBe(2);
    const events = await readOutboxEvents("crm", "crm.lead.updated", (d) => d.lead?._id === ana!.id);
    expect(events.map((e) => [...(e.data.changedFields as string[])].sort())).toEqual([["custom_properties", "first_name", "value"]]);
  });

  test("the file, mapping and pipeline are checked when the job is created", async () => {
    const client = harness.workspace();
    const refusal = async (request: Parameters<CrmClient["createLeadImportJob"]>[0]) => (await expectFailure(client.createLeadImportJob(request))).violations;
    expect(await refusal({ csv: "firstName,shoeSize\nA,42" })).toEqual([{ path: "csv", message: "unknown column(s): shoeSize (name lead fields, or give a mapping)" }]);
    expect(await refusal({ csv: "a,b\n1,2", mapping: [{ column: "c", field: "firstName" }] })).toEqual([
      { path: "mapping[0].column", message: "is not a column of the file (columns: a, b)" },
    ]);
    expect(await refusal({ csv: "a\n1", mapping: [{ column: "a", field: "shoeSize" }] })).toEqual([{ path: "mapping[0].field", message: expect.stringContaining("must match") }]);
    expect(await refusal({ csv: "firstName\nA", upsertKey: "email" })).toEqual([{ path: "mapping", message: "no column is mapped to email, which rows are matched by" }]);
    expect(await refusal({ csv: "firstName\nA", upsertKey: "fax" })).toEqual([{ path: "upsertKey", message: expect.stringContaining("must be one of") }]);
    expect(await refusal({ csv: "" })).toEqual([{ path: "csv", message: "is required" }]);
    expect(await refusal({ csv: "firstName\nA", pipelineId: newObjectId() })).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);
    await simplePipeline(client); // the default
    const archived = await simplePipeline(client, "Old");
    await client.archivePipeline({ id: archived.pipeline.id });
    expect(await refusal({ csv: "firstName\nA", pipelineId: archived.pipeline.id })).toEqual([{ path: "pipelineId", message: "the pipeline is archived" }]);
    expect((await client.listLeadImportJobs({})).items).toEqual([]);
  });

  test("without a pipeline the rows enter the default pipeline's first stage", async () => {
    const client = harness.workspace();
    const { job } = await client.createLeadImportJob({ csv: "company\nAcme\nBeta\nGamma" });
    const { pipeline } = await client.getDefaultPipeline({});
    expect(job!.pipelineId).toBe(pipeline!.id);
    expect(await importFinished(client, job!.id)).toMatchObject({ createdCount: 3 });
    const { items } = await client.listLeads({});
    expect(new Set(items.map((l) => l.stageId))).toEqual(new Set([pipeline!.stages[0]!.id]));
  });
});

describe("export jobs", () => {
  test("exports the matching leads in chunks, with pipeline and stage names; the file is downloaded once completed", async () => {
    const client = harness.workspace();
    const { pipeline, open, won } = await simplePipeline(client);
    const [hot] = await leadTags(client, "hot");
    await client.createLead({ firstName: "Ana", lastName: "Silva", email: "ana@example.com", value: "100", stageId: open.id, tagIds: [hot!] });
    await client.createLead({ firstName: "Bruno, Jr.", company: 'Say "hi"', stageId: won.id, ownerId: "u2" });
    await client.createLead({ firstName: "Cy", stageId: open.id, ownerId: "u2" });
    const { job: queued } = await client.createLeadExportJob({});
    expect(queued).toMatchObject({ status: JobStatus.JOB_STATUS_QUEUED, totalRows: 3 });
    const job = await exportFinished(client, queued!.id);
    expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, exportedRows: 3, totalRows: 3 });
    const { file } = await client.downloadLeadExport({ id: job.id });
    expect(file).toMatchObject({ contentType: "text/csv; charset=utf-8" });
    const lines = file!.data.toString("utf8").trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      "_id,firstName,lastName,email,phone,company,source,ownerId,value,currency,expectedCloseDate,status,lostReason,score,country,pipelineId,pipeline,stageId,stage,customerId,tagIds,createdAt",
    );
    expect(lines[1]).toContain(`Ana,Silva,ana@example.com,,,manual,,100,USD,,open,,0,,${pipeline.id},Deals,${open.id},Open,,${hot},`);
    expect(lines[2]).toContain(`"Bruno, Jr.",,,,"Say ""hi""",manual,u2,0,USD,,won,`);
    expect(Number(job.sizeBytes)).toBe(file!.data.length);

    const filtered = await client.createLeadExportJob({ filter: { ownerId: "u2", status: "open" } });
    expect(filtered.job!.filter).toEqual({ pipelineId: "", stageId: "", ownerId: "u2", status: "open" });
    await exportFinished(client, filtered.job!.id);
    const only = (await client.downloadLeadExport({ id: filtered.job!.id })).file!.data.toString("utf8").trim().split("\n");
    expect(only.slice(1).map((l) => l.split(",")[1])).toEqual(["Cy"]);
    expect((await client.listLeadExportJobs({})).items.map((j) => j.id)).toEqual([filtered.job!.id, job.id]);
  });

  test("an export with no matching lead is the header alone; bad filters are refused", async () => {
    const client = harness.workspace();
    const { job } = await client.createLeadExportJob({ filter: { status: "won" } });
    await exportFinished(client, job!.id);
    expect((await client.downloadLeadExport({ id: job!.id })).file!.data.toString("utf8").trim().split("\n")).toHaveLength(1);
    expect((await expectFailure(client.createLeadExportJob({ filter: { status: "maybe" } }))).violations).toEqual([
      { path: "filter.status", message: expect.stringContaining("must be one of") },
    ]);
    expect((await expectFailure(client.downloadLeadExport({ id: newObjectId() }))).code).toBe("NOT_FOUND");
  });
});

test("jobs belong to their workspace: another workspace can neither read, list nor download them", async () => {
  const owner = harness.workspace();
  const intruder = harness.workspace();
  await owner.createLead({ firstName: "Secret" });
  const { job: imported } = await owner.createLeadImportJob({ csv: "firstName,email\nA,bad" });
  const { job: exported } = await owner.createLeadExportJob({});
  await importFinished(owner, imported!.id);
  await exportFinished(owner, exported!.id);
  for (const call of [
    () => intruder.getLeadImportJob({ id: imported!.id }),
    () => intruder.getLeadImportErrors({ id: imported!.id }),
    () => intruder.getLeadExportJob({ id: exported!.id }),
    () => intruder.downloadLeadExport({ id: exported!.id }),
  ]) {
    expect((await expectFailure(call())).code).toBe("NOT_FOUND");
  }
  expect((await intruder.listLeadImportJobs({})).items).toEqual([]);
  expect((await intruder.listLeadExportJobs({})).items).toEqual([]);
  // The intruder's own export does not take the owner's leads.
  const { job: own } = await intruder.createLeadExportJob({});
  expect(own!.totalRows).toBe(0);
  await exportFinished(intruder, own!.id);
  expect((await intruder.downloadLeadExport({ id: own!.id })).file!.data.toString("utf8")).not.toContain("Secret");
});
