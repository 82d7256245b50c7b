import { Client } from "pg";
import { JobStatus, type ImportJob } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { expectFailure } from "@velaflows/testing";
import { eventually, startCustomersHarness, type CustomersHarness, type WorkspaceClients } from "./test-harness";

let h: CustomersHarness;
let runner: Awaited<ReturnType<CustomersHarness["startCustomers"]>> | undefined;
beforeAll(async () => {
  h = await startCustomersHarness();
  runner = await h.startCustomers({ CUSTOMERS_JOBS_ENABLED: "true" });
}, 120_000);
afterAll(async () => {
  await runner?.stop();
  await h.stop();
});

async function finished(customers: WorkspaceClients["customers"], id: string): Promise<ImportJob> {
  const { job } = await eventually(
    () => customers.getImportJob({ id }),
    (r) => r.job!.status === JobStatus.JOB_STATUS_COMPLETED || r.job!.status === JobStatus.JOB_STATUS_FAILED,
    3000,
  );
  return job!;
}

const MAPPING = [
  { column: "Email", field: "email" },
  { column: "First Name", field: "firstName" },
  { column: "Phone", field: "phone" },
  { column: "Country", field: "country" },
  { column: "Plan", field: "customProperties.plan" },
];

const CSV = [
  "Email,First Name,Phone,Country,Plan",
  "ann@example.com,Ann,+1 (555) 555-0001,us,pro", // 1: created (phone and country normalised)
  "not-an-email,Bob,,US,free", // 2: bad e-mail
  "ANN@example.com,Annie,,,", // 3: the same e-mail again: updates row 1's customer
  "carl@example.com,Carl,+15555550001,DE,", // 4: phone taken by Ann
  "dora@example.com,Dora,,,gold", // 5: not an option of plan
  "eve@example.com,Eve,,FR,free", // 6: matches an existing customer: updated
  '"fay@example.com","Fay, ""the"" first",,,', // 7: quoted cells
].join("\n");

async function workspaceWithPlan(): Promise<WorkspaceClients> {
  const clients = h.workspace();
  await clients.properties.createProperty({ entityType: "customer", key: "plan", label: "Plan", type: "select", options: [{ value: "free", label: "Free" }, { value: "pro", label: "Pro" }] });
  return clients;
}

test("an import reports created, updated and refused rows, and the refused ones as CSV", async () => {
  const { customers } = await workspaceWithPlan();
  await customers.createCustomer({ firstName: "Evelyn", emails: [{ address: "eve@example.com" }] });
  const { job: queued } = await customers.createImportJob({ csv: CSV, fileName: "people.csv", mapping: MAPPING, matchBy: "email" });
  expect(queued).toMatchObject({ status: JobStatus.JOB_STATUS_QUEUED, fileName: "people.csv", matchBy: "email", dryRun: false });
  const job = await finished(customers, queued!.id);
  expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, processedRows: 7, createdCount: 2, updatedCount: 2, errorCount: 3 });

  const ann = (await customers.lookupCustomer({ email: "ann@example.com" })).customer!;
  expect(ann).toMatchObject({ firstName: "Annie", country: "US", primaryPhone: "+15555550001", source: "import", customProperties: { plan: "pro" } });
  expect((await customers.lookupCustomer({ email: "eve@example.com" })).customer).toMatchObject({ firstName: "Eve", country: "FR", customProperties: { plan: "free" } });
  expect((await customers.lookupCustomer({ email: "fay@example.com" })).customer!.firstName).toBe('Fay, "the" first');
  expect(await expectFailure(customers.lookupCustomer({ email: "carl@example.com" }))).toMatchObject({ code: "NOT_FOUND" });

  const { file, errorCount } = await customers.getImportErrors({ id: job.id });
  expect(errorCount).toBe(3);
  expect(file!.contentType).toBe("text/csv; charset=utf-8");
  const csv = file!.data.toString("utf8");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toBe("row,column,message,data");
  expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual(["2,Email", "4,Phone", "5,Plan"]);
  expect(csv).toContain("not-an-email");
  expect((await customers.listImportJobs({})).items.map((j) => j.id)).toEqual([job.id]);
});

test("a dry run reports the same and writes nothing", async () => {
  const { customers } = await workspaceWithPlan();
  const { job: queued } = await customers.createImportJob({ file: Buffer.from(CSV), mapping: MAPPING, dryRun: true });
  const job = await finished(customers, queued!.id);
  expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, dryRun: true, processedRows: 7, createdCount: 3, updatedCount: 1, errorCount: 3 });
  expect((await customers.listCustomers({})).pagination!.total).toBe(0);
});

test("imports refuse a bad upload before queueing it", async () => {
  const { customers } = h.workspace();
  const cases: [object, string][] = [
    [{}, "csv"],
    [{ csv: "a,b\n1,2", file: Buffer.from("a,b") }, "csv"],
    [{ csv: "Name,Phone\nAnn,+15550001" }, "mapping"], // nothing maps to email
    [{ csv: "Email\nx@y.z", mapping: [{ column: "Mail", field: "email" }] }, "mapping[0].column"],
    [{ csv: "x".repeat(16 * 1024 * 1024 + 1) }, "csv"],
    [{ file: Buffer.alloc(16 * 1024 * 1024 + 1, "x") }, "file"],
  ];
  for (const [request, path] of cases) {
    const failure = await expectFailure(customers.createImportJob(request));
    expect({ path: failure.violations[0]?.path, code: failure.code }).toEqual({ path, code: "INVALID_ARGUMENT" });
  }
  const bad = await expectFailure(customers.createImportJob({ csv: "Email\nx@y.z", mapping: [{ column: "Email", field: "password" }] }));
  expect(bad.violations[0]!.path).toBe("mapping[0].field");
});

test("a header matching field names needs no mapping; phone can be the match key", async () => {
  const { customers } = h.workspace();
  await customers.createCustomer({ firstName: "Old", phones: [{ number: "+4930123456" }] });
  const csv = "phone,first_name,Last Name,company\n+49 30 123456,Neu,Mann,ACME\n0049301234567,Zweite,,\n";
  const { job: queued } = await customers.createImportJob({ csv, matchBy: "phone" });
  const job = await finished(customers, queued!.id);
  expect(job).toMatchObject({ createdCount: 1, updatedCount: 1, errorCount: 0 });
  expect((await customers.lookupCustomer({ phone: "+4930123456" })).customer).toMatchObject({ firstName: "Neu", lastName: "Mann", company: "ACME" });
  expect((await customers.lookupCustomer({ phone: "+49301234567" })).customer!.firstName).toBe("Zweite");
});

test("an export of a segment is written as CSV and downloadable", async () => {
  const { customers } = h.workspace();
  for (let i = 0; i < 120; i++) await customers.createCustomer({ firstName: `P${i}`, country: i % 2 === 0 ? "DE" : "FR", emails: [{ address: `p${i}@example.com` }] });
  const { segment } = await customers.createSegment({ name: "DE", filter: { country: "DE" } });
  const { job: queued } = await customers.createExportJob({ segmentId: segment!.id });
  expect(queued).toMatchObject({ status: JobStatus.JOB_STATUS_QUEUED, totalRows: 60 });
  const { job } = await eventually(() => customers.getExportJob({ id: queued!.id }), (r) => r.job!.status === JobStatus.JOB_STATUS_COMPLETED, 3000);
  expect(job).toMatchObject({ exportedRows: 60 });
  const { file } = await customers.downloadExport({ id: queued!.id });
  expect(file!.contentType).toBe("text/csv; charset=utf-8");
  const csv = file!.data.toString("utf8");
  const lines = csv.trim().split("\n");
  expect(lines).toHaveLength(61);
  expect(lines[0]!.startsWith("id,firstName,lastName,email,")).toBe(true);
  expect(lines.slice(1).every((l) => l.includes(",DE,"))).toBe(true);
  expect((await customers.listExportJobs({})).items.map((j) => j.id)).toEqual([queued!.id]);
});

describe("jobs live in PostgreSQL", () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  test("a job left running by a stopped replica resumes from its checkpoint; one retried too often fails cleanly", async () => {
    await runner!.stop();
    runner = undefined;
    const { customers } = h.workspace();
    const csv = ["email,firstName", ...Array.from({ length: 5 }, (_, i) => `r${i + 1}@example.com,R${i + 1}`)].join("\n");
    const resumed = (await customers.createImportJob({ csv })).job!;
    const doomed = (await customers.createImportJob({ csv })).job!;
    // As a replica that wrote rows 1-2, then stopped, leaves them (its heartbeat goes stale).
    await db.query(
      `UPDATE "customers"."import_jobs" SET "status" = 'running', "processed_rows" = 2, "attempts" = 1, "heartbeat_at" = now() - interval '1 hour' WHERE "id" = $1`,
      [resumed.id],
    );
    // No runner yet: an export cannot be downloaded before it completes.
    const pending = (await customers.createExportJob({})).job!;
    expect(await expectFailure(customers.downloadExport({ id: pending.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "EXPORT_NOT_READY" });
    await db.query(`UPDATE "customers"."import_jobs" SET "status" = 'running', "attempts" = 3, "heartbeat_at" = now() - interval '1 hour' WHERE "id" = $1`, [doomed.id]);
    runner = await h.startCustomers({ CUSTOMERS_JOBS_ENABLED: "true", CUSTOMERS_JOB_STALE_MS: "1000", CUSTOMERS_JOB_MAX_ATTEMPTS: "3" });

    const job = await finished(customers, resumed.id);
    expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, processedRows: 5, createdCount: 3 });
    expect(await expectFailure(customers.lookupCustomer({ email: "r2@example.com" }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await customers.lookupCustomer({ email: "r3@example.com" })).customer!.firstName).toBe("R3");

    const failed = await finished(customers, doomed.id);
    expect(failed).toMatchObject({ status: JobStatus.JOB_STATUS_FAILED, error: "gave up after 3 attempts", processedRows: 0 });
  });
});

test("an import tags new customers through the Tags service; a row naming an unknown tag is reported and left untagged", async () => {
  const { customers, tags } = h.workspace();
  const vip = (await tags.createTag({ name: "VIP" })).tag!;
  const lead = (await tags.createTag({ name: "Lead" })).tag!;
  const unknown = "0123456789abcdef01234567";
  const csv = [
    "email,tags",
    `gia@example.com,${vip.id};${lead.id}`,
    `hal@example.com,${vip.id}`,
    `ida@example.com,${lead.id};${unknown}`,
    "jon@example.com,",
  ].join("\n");
  const { job: queued } = await customers.createImportJob({ csv, mapping: [{ column: "email", field: "email" }, { column: "tags", field: "tags" }] });
  const job = await finished(customers, queued!.id);
  expect(job).toMatchObject({ status: JobStatus.JOB_STATUS_COMPLETED, createdCount: 4, errorCount: 1 });
  const tagsOf = async (email: string) => {
    const customer = (await customers.lookupCustomer({ email })).customer!;
    const inTags = (await tags.listEntityTags({ entity: { entityType: "customer", entityId: customer.id } })).items.map((t) => t.id).sort();
    return { copy: customer.tagIds, inTags };
  };
  expect(await tagsOf("gia@example.com")).toEqual({ copy: [vip.id, lead.id].sort(), inTags: [vip.id, lead.id].sort() });
  expect(await tagsOf("hal@example.com")).toEqual({ copy: [vip.id], inTags: [vip.id] });
  // The attach of Lead (in a call of its own) was undone; its events reach the copy in order.
  expect(await eventually(() => tagsOf("ida@example.com"), (t) => t.copy.length === 0)).toEqual({ copy: [], inTags: [] });
  expect(await tagsOf("jon@example.com")).toEqual({ copy: [], inTags: [] });
  expect((await customers.listCustomers({ limit: 1, filter: { tagIds: [vip.id] } })).pagination!.total).toBe(2);
  const { file, errorCount } = await customers.getImportErrors({ id: job.id });
  expect(errorCount).toBe(1);
  expect(file!.data.toString("utf8")).toContain("tags not applied");
});
