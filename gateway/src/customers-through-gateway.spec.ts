import { Client } from "pg";
import { createServiceClient, newObjectId, type RunningService } from "@velaflows/kit";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startCustomers } from "@velaflows/customers";
import * as customersProto from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { CustomersServiceClient, CustomersServiceService } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import { main as startTags } from "@velaflows/tags";
import { partialClient, startTestService, workspaceMetadata } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness, type GatewayMember } from "./testing/gateway-harness.fixture";

// The Customers service end to end: a REST client, the gateway's whole pipeline, real gRPC to
// Customers and from it to Tags and Custom Properties, a real database.
let tags: RunningService;
let properties: RunningService;
let customers: RunningService;
let h: GatewayHarness;
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  properties = await startTestService("custom-properties", startCustomProperties);
  customers = await startTestService("customers", startCustomers, {
    TAGS_ADDR: tags.grpcAddress,
    CUSTOM_PROPERTIES_ADDR: properties.grpcAddress,
    CUSTOMERS_JOBS_ENABLED: "false",
  });
  h = await startGatewayHarness({}, { tags: tags.grpcAddress, "custom-properties": properties.grpcAddress, customers: customers.grpcAddress });
}, 120_000);
afterAll(async () => {
  await h.stop();
  await customers.stop();
  await properties.stop();
  await tags.stop();
});

const asMember = (permissions?: readonly string[], workspaceId?: string) => h.member(permissions, workspaceId);

test("create, PATCH only the fields sent, lookup, search and list over REST", async () => {
  const member = await asMember();
  const created = await member.send("POST", "/api/v1/customers", {
    firstName: "Ann",
    lastName: "Smith",
    emails: [{ address: "ann@example.com" }],
    phones: [{ number: "+15555550123" }],
    consent: { whatsapp: { optedIn: true }, email: { optedOut: true } },
  });
  expect(created.status).toBe(201);
  const customer = created.body.data.customer;
  expect(customer).toMatchObject({ firstName: "Ann", primaryEmail: "ann@example.com", workspaceId: member.workspaceId, source: "manual" });
  expect(customer._id).toMatch(/^[0-9a-f]{24}$/);

  const patched = await member.send("PATCH", `/api/v1/customers/${customer._id}`, { lastName: "", consent: { whatsapp: { optedOut: true } } });
  expect(patched.status).toBe(200);
  expect(patched.body.data.customer).toMatchObject({
    firstName: "Ann",
    lastName: "",
    primaryEmail: "ann@example.com",
    consent: { whatsapp: { optedIn: false, optedOut: true }, email: { optedIn: false, optedOut: true } },
  });

  const found = await member.get("/api/v1/customers/lookup?email=ANN%40example.com");
  expect(found.status).toBe(200);
  expect(found.body.data.customer._id).toBe(customer._id);

  const searched = await member.get("/api/v1/customers?search=smi&limit=10");
  expect(searched.body.data.items).toEqual([]);
  const byPhone = await member.get("/api/v1/customers?search=5550123&sortBy=lastContactAt&sortOrder=asc");
  expect(byPhone.body.data).toMatchObject({ items: [{ _id: customer._id }], pagination: { page: 1, limit: 20, total: 1, totalPages: 1 } });
  const optedOut = await member.get("/api/v1/customers?filter.optedOutChannel=whatsapp");
  expect(optedOut.body.data.items.map((c: { _id: string }) => c._id)).toEqual([customer._id]);

  const duplicate = await member.send("POST", "/api/v1/customers", { emails: [{ address: "ann@example.com" }] });
  expect(duplicate.status).toBe(409);
  expect(duplicate.body.error).toMatchObject({ code: "CONFLICT" });
});

test("bad input is 422 with field paths, custom property values included", async () => {
  const member = await asMember();
  await member.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "plan", label: "Plan", type: "select", options: [{ value: "pro", label: "Pro" }] });
  const cases: [unknown, string][] = [
    [{ emails: [{ address: "nope" }] }, "emails[0].address"],
    [{ phones: [{ number: "12345" }] }, "phones[0].number"],
    [{ country: "Germany" }, "country"],
    [{ customProperties: { plan: "gold" } }, "customProperties.plan"],
    [{ customProperties: { unknownKey: 1 } }, "customProperties.unknownKey"],
  ];
  for (const [body, path] of cases) {
    const response = await member.send("POST", "/api/v1/customers", body);
    expect({ body, status: response.status, code: response.body.error.code, paths: response.body.error.details.errors.map((e: { path: string }) => e.path) }).toEqual({
      body,
      status: 422,
      code: "VALIDATION_ERROR",
      paths: [path],
    });
  }
  expect((await member.get("/api/v1/customers/not-an-id")).status).toBe(422);
  expect((await member.get("/api/v1/customers/0123456789abcdef01234567")).status).toBe(404);
});

test("batch get: GET /customers:batchGet?ids=…&ids=… answers in request order; unknown ids are a 404 listing every one of them; customers:read is needed", async () => {
  const member = await asMember();
  const first = (await member.send("POST", "/api/v1/customers", { firstName: "First" })).body.data.customer;
  const second = (await member.send("POST", "/api/v1/customers", { firstName: "Second" })).body.data.customer;
  const got = await member.get(`/api/v1/customers:batchGet?ids=${second._id}&ids=${first._id}&ids=${second._id}`);
  expect(got.status).toBe(200);
  expect(got.body).toEqual({ success: true, data: { customers: [second, first, second] } });

  const unknown = [newObjectId(), newObjectId()];
  const missing = await member.get(`/api/v1/customers:batchGet?ids=${unknown[0]}&ids=${first._id}&ids=${unknown[1]}`);
  expect(missing.status).toBe(404);
  expect(missing.body.error).toMatchObject({
    code: "NOT_FOUND",
    message: `Customers not found: ${unknown.join(", ")}`,
    details: { resourceId: unknown[0], missingIds: unknown },
  });
  // Another workspace's customers are unknown ids.
  const isolated = await (await asMember()).get(`/api/v1/customers:batchGet?ids=${first._id}`);
  expect(isolated.status).toBe(404);
  expect(isolated.body.error.details).toEqual({ resourceId: first._id, missingIds: [first._id] });

  const tooMany = await member.get(`/api/v1/customers:batchGet?${Array.from({ length: 101 }, () => `ids=${first._id}`).join("&")}`);
  expect(tooMany.status).toBe(422);
  expect(tooMany.body.error.details).toEqual({ errors: [{ path: "ids", message: "must have at most 100 items" }] });
  expect((await member.get("/api/v1/customers:batchGet")).status).toBe(422);
  expect((await (await asMember(["customers:read"], member.workspaceId)).get(`/api/v1/customers:batchGet?ids=${first._id}`)).status).toBe(200);
  expect((await (await asMember(["tags:read"], member.workspaceId)).get(`/api/v1/customers:batchGet?ids=${first._id}`)).status).toBe(403);
});

test("merge, notes and timeline over REST; permissions are enforced", async () => {
  const member = await asMember();
  const a = (await member.send("POST", "/api/v1/customers", { firstName: "A", emails: [{ address: "a@example.com" }] })).body.data.customer;
  const b = (await member.send("POST", "/api/v1/customers", { lastName: "B", emails: [{ address: "b@example.com" }] })).body.data.customer;
  expect((await member.send("POST", `/api/v1/customers/${b._id}/notes`, { body: "from B" })).status).toBe(201);
  const merged = await member.send("POST", `/api/v1/customers/${a._id}/merge`, { sourceIds: [b._id] });
  expect(merged.status).toBe(200);
  expect(merged.body.data.customer).toMatchObject({ firstName: "A", lastName: "B" });
  expect(merged.body.data.merge).toMatchObject({ targetId: a._id, sourceIds: [b._id], movedNotes: 1 });
  expect((await member.get(`/api/v1/customers/${a._id}/notes`)).body.data.items.map((n: { body: string }) => n.body)).toEqual(["from B"]);
  const timeline = await member.get(`/api/v1/customers/${a._id}/timeline`);
  expect(timeline.body.data.items[0]).toMatchObject({ type: "customers.customer.merged" });
  expect((await member.get(`/api/v1/customers/merges/${merged.body.data.merge._id}`)).status).toBe(200);

  const reader = await asMember(["customers:read"], member.workspaceId);
  expect((await reader.get(`/api/v1/customers/${a._id}`)).status).toBe(200);
  expect((await reader.send("POST", "/api/v1/customers", { firstName: "X" })).status).toBe(403);
  const writer = await asMember(["customers:write"], member.workspaceId);
  expect((await writer.send("DELETE", `/api/v1/customers/${a._id}`)).status).toBe(403); // delete needs customers:manage

  const intruder = await asMember();
  expect((await intruder.get(`/api/v1/customers/${a._id}`)).status).toBe(404);
  expect((await intruder.get(`/api/v1/customers/${a._id}/timeline`)).status).toBe(404);
});

test("an import is accepted as 202 and its job is readable", async () => {
  const member = await asMember();
  const accepted = await member.send("POST", "/api/v1/customers/imports", { csv: "email,firstName\nz@example.com,Zed\n", dryRun: true });
  expect(accepted.status).toBe(202);
  expect(accepted.body.data.job).toMatchObject({ status: "JOB_STATUS_QUEUED", dryRun: true, matchBy: "email" });
  const job = await member.get(`/api/v1/customers/imports/${accepted.body.data.job._id}`);
  expect(job.status).toBe(200);
  const badMapping = await member.send("POST", "/api/v1/customers/imports", { csv: "a\n1", mapping: [{ column: "a", field: "password" }] });
  expect(badMapping.status).toBe(422);
  expect(badMapping.body.error.details.errors[0].path).toBe("mapping[0].field");
});

test("export downloads and import error reports are CSV files (text/csv, attachment), errors stay envelopes, other workspaces get 404", async () => {
  const member = await asMember();
  await member.send("POST", "/api/v1/customers", { firstName: "Zoë", lastName: 'Doe, "Jr"', emails: [{ address: "zoe@example.com" }] });
  await member.send("POST", "/api/v1/customers", { firstName: "Ana", emails: [{ address: "ana@example.com" }] });
  const exportId = (await member.send("POST", "/api/v1/customers/exports", {})).body.data.job._id;
  const importId = (await member.send("POST", "/api/v1/customers/imports", { csv: "email,firstName\nnot-an-email,Bad\nok@example.com,Ok\n", dryRun: true })).body.data.job._id;

  // Before a runner took it, the export is not ready: 409 in the envelope.
  const early = await member.get(`/api/v1/customers/exports/${exportId}/download`);
  expect(early.status).toBe(409);
  expect(early.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(early.body).toMatchObject({ success: false, error: { code: "CONFLICT", message: expect.stringContaining("not completed") } });

  // A job runner (runners claim every workspace's jobs, so it runs only for this test).
  const runner = await startTestService("customers", startCustomers, {
    TAGS_ADDR: tags.grpcAddress,
    CUSTOM_PROPERTIES_ADDR: properties.grpcAddress,
    CUSTOMERS_JOBS_ENABLED: "true",
    CUSTOMERS_JOB_POLL_MS: "20",
  });
  try {
    await untilFinished(member, `/api/v1/customers/exports/${exportId}`);
    await untilFinished(member, `/api/v1/customers/imports/${importId}`);
  } finally {
    await runner.stop();
  }

  const url = (path: string) => h.gateway.url + path;
  const headers = { authorization: `Bearer ${await h.token(member.workspaceId)}`, "x-workspace-id": member.workspaceId };
  const download = await fetch(url(`/api/v1/customers/exports/${exportId}/download`), { headers });
  expect(download.status).toBe(200);
  expect(download.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(download.headers.get("content-disposition")).toBe(`attachment; filename="customers-${exportId}.csv"`);
  const bytes = Buffer.from(await download.arrayBuffer());
  expect(download.headers.get("content-length")).toBe(String(bytes.length));
  // Exactly the bytes the service answers over gRPC.
  const grpc = createServiceClient(CustomersServiceClient, customers.grpcAddress);
  try {
    const direct = partialClient(grpc.call, CustomersServiceService, customersProto, workspaceMetadata(member.workspaceId));
    expect(bytes.equals((await direct.downloadExport({ id: exportId })).file!.data)).toBe(true);
  } finally {
    grpc.close();
  }
  const lines = bytes.toString("utf8").trim().split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]!.startsWith("id,firstName,lastName,email,")).toBe(true);
  expect(lines.some((l) => l.includes('Zoë,"Doe, ""Jr""",zoe@example.com'))).toBe(true);

  const errors = await fetch(url(`/api/v1/customers/imports/${importId}/errors`), { headers });
  expect(errors.status).toBe(200);
  expect(errors.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(errors.headers.get("content-disposition")).toBe(`attachment; filename="import-${importId}-errors.csv"`);
  const report = (await errors.text()).trim().split("\n");
  expect(report[0]).toBe("row,column,message,data");
  expect(report).toHaveLength(2);
  expect(report[1]!.startsWith("1,email,")).toBe(true);

  const unknown = await member.get(`/api/v1/customers/exports/${newObjectId()}/download`);
  expect(unknown.status).toBe(404);
  expect(unknown.body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  expect((await member.get(`/api/v1/customers/imports/${newObjectId()}/errors`)).status).toBe(404);

  const intruder = await asMember();
  for (const path of [`/api/v1/customers/exports/${exportId}/download`, `/api/v1/customers/imports/${importId}/errors`]) {
    const refused = await intruder.get(path);
    expect({ status: refused.status, contentType: refused.headers.get("content-type"), success: refused.body.success }).toEqual({
      status: 404,
      contentType: "application/json; charset=utf-8",
      success: false,
    });
  }
});

// Polls a job through the gateway until it completed (a bounded number of reads, no clock).
async function untilFinished(member: GatewayMember, path: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const status = (await member.get(path)).body.data.job.status;
    if (status === "JOB_STATUS_COMPLETED") return;
    if (status === "JOB_STATUS_FAILED") throw new Error(`${path} failed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} did not finish`);
}

test("an import takes a CSV up to its method's body limit (max_request_bytes), far above the gateway's default; beyond it is 413", async () => {
  const member = await asMember();
  // 16 MiB of CSV, the import's limit (a 100k-row file is about 10 MiB), in one request where the
  // gateway's own limit is 1 MiB.
  const head = "email,firstName,notes\nsomeone@example.com,Someone,";
  const csv = head + "x".repeat(16 * 1024 * 1024 - head.length);
  const accepted = await member.send("POST", "/api/v1/customers/imports", { csv, dryRun: true });
  expect(accepted.status).toBe(202);
  expect(accepted.body.data.job.sizeBytes).toBe(String(csv.length));
  // The queued job is this test's to remove: runners claim every workspace's jobs, and a later
  // spec's runner (same database) would spend minutes on this file before reaching its own.
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const removed = await db.query(`DELETE FROM "customers"."import_jobs" WHERE "id" = $1`, [accepted.body.data.job._id]);
    expect(removed.rowCount).toBe(1);
  } finally {
    await db.end();
  }
  const beyond = await member.send("POST", "/api/v1/customers/imports", { csv: csv + "x".repeat(6 * 1024 * 1024), dryRun: true });
  expect({ status: beyond.status, code: beyond.body.error.code }).toEqual({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  // Within the body limit but over the CSV's own: 422 on the field.
  const tooLong = await member.send("POST", "/api/v1/customers/imports", { csv: csv + "x".repeat(1024 * 1024), dryRun: true });
  expect({ status: tooLong.status, path: tooLong.body.error.details.errors[0].path }).toEqual({ status: 422, path: "csv" });
  // Other methods keep the gateway's limit.
  const large = await member.send("POST", "/api/v1/customers", { firstName: "x".repeat(2 * 1024 * 1024) });
  expect({ status: large.status, code: large.body.error.code }).toEqual({ status: 413, code: "PAYLOAD_TOO_LARGE" });
});
