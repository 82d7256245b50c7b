import { newObjectId, type RunningService } from "@velaflows/kit";
import { main as startCrm } from "@velaflows/crm";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { main as startTags } from "@velaflows/tags";
import { eventually, readOutboxEvents, startTestService } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

// The CRM service end to end: a REST client, the gateway's whole pipeline, real gRPC, a real
// database, with the Tags and Custom Properties services the CRM checks a lead's tags and custom
// property values against. Each asMember() is a fresh user in its own workspace (unless one is given).
let tags: RunningService;
let properties: RunningService;
let service: RunningService;
let h: GatewayHarness;
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  properties = await startTestService("custom-properties", startCustomProperties);
  service = await startTestService("crm", startCrm, { TAGS_ADDR: tags.grpcAddress, CUSTOM_PROPERTIES_ADDR: properties.grpcAddress, CRM_JOB_POLL_MS: "20" });
  h = await startGatewayHarness({}, { crm: service.grpcAddress, tags: tags.grpcAddress, "custom-properties": properties.grpcAddress });
}, 120_000);
afterAll(async () => {
  await h.stop();
  await service.stop();
  await properties.stop();
  await tags.stop();
});

const asMember = (permissions?: readonly string[], workspaceId?: string) => h.member(permissions, workspaceId);

test("a lead's tags must be the workspace's and its custom property values valid: 422 with the field path", async () => {
  const member = await asMember();
  const tag = await member.send("POST", "/api/v1/tags", { name: "hot", entityTypes: ["lead"] });
  expect(tag.status).toBe(201);
  expect((await member.send("POST", "/api/v1/custom-properties", { entityType: "lead", key: "budget", label: "Budget", type: "number" })).status).toBe(201);
  const refused = await member.send("POST", "/api/v1/crm/leads", { firstName: "Ana", tagIds: [tag.body.data.tag._id, newObjectId()], customProperties: { budget: "lots" } });
  expect(refused.status).toBe(422);
  expect(refused.body.error.details.errors.map((e: { path: string }) => e.path)).toEqual(["tagIds[1]", "customProperties.budget"]);
  const created = await member.send("POST", "/api/v1/crm/leads", { firstName: "Ana", tagIds: [tag.body.data.tag._id], customProperties: { budget: 12 } });
  expect(created.status).toBe(201);
  expect(created.body.data.lead).toMatchObject({ tagIds: [tag.body.data.tag._id], customProperties: { budget: 12 } });
  const elsewhere = await (await asMember()).send("POST", "/api/v1/crm/leads", { firstName: "Bo", tagIds: [tag.body.data.tag._id] });
  expect(elsewhere.status).toBe(422);
  expect(elsewhere.body.error.details.errors.map((e: { path: string }) => e.path)).toEqual(["tagIds[0]"]);
});

type Member = Awaited<ReturnType<typeof asMember>>;

async function pipelineOf(member: Member, name = "Deals") {
  const created = await member.send("POST", "/api/v1/crm/pipelines", {
    name,
    stages: [{ name: "Open", probability: 20 }, { name: "Won", probability: 100, isWon: true }, { name: "Lost", isLost: true }],
  });
  expect(created.status).toBe(201);
  const pipeline = created.body.data.pipeline;
  const [open, won, lost] = pipeline.stages;
  return { pipeline, open, won, lost };
}

test("the documented recipes: POST /crm/leads with the six fields answers 201 data.lead._id; GET /crm/leads sorted by createdAt desc", async () => {
  const member = await asMember();
  const { pipeline, open } = await pipelineOf(member);
  const created = await member.send("POST", "/api/v1/crm/leads", {
    firstName: "Ana",
    lastName: "Silva",
    email: "ana@example.com",
    phone: "+5511999990000",
    pipelineId: pipeline._id,
    stageId: open._id,
  });
  expect(created.status).toBe(201);
  expect(created.body.success).toBe(true);
  const lead = created.body.data.lead;
  expect(lead._id).toMatch(/^[0-9a-f]{24}$/);
  expect(lead).toMatchObject({ firstName: "Ana", lastName: "Silva", email: "ana@example.com", phone: "+5511999990000", pipelineId: pipeline._id, stageId: open._id, status: "open" });
  const second = (await member.send("POST", "/api/v1/crm/leads", { firstName: "Bruno", value: "150000", currency: "BRL", score: 40, country: "BR" })).body.data.lead;
  expect(second).toMatchObject({ value: "150000", currency: "BRL", score: 40, country: "BR" });

  const listed = await member.get("/api/v1/crm/leads?page=1&limit=20&sortBy=createdAt&sortOrder=desc");
  expect(listed.status).toBe(200);
  expect(listed.body).toMatchObject({ success: true, data: { pagination: { page: 1, limit: 20, total: 2, totalPages: 1 } } });
  expect(listed.body.data.items.map((l: { _id: string }) => l._id)).toEqual([second._id, lead._id]);
  const byValue = await member.get("/api/v1/crm/leads?sortBy=value&sortOrder=desc&minValue=1000");
  expect(byValue.body.data.items.map((l: { _id: string }) => l._id)).toEqual([second._id]);
  expect((await member.get(`/api/v1/crm/leads/${lead._id}`)).body.data.lead).toEqual(lead);
});

test("PATCH writes only the fields in the body", async () => {
  const member = await asMember();
  for (const key of ["a", "b"]) expect((await member.send("POST", "/api/v1/custom-properties", { entityType: "lead", key, label: key, type: "number" })).status).toBe(201);
  const lead = (await member.send("POST", "/api/v1/crm/leads", { firstName: "Ana", company: "Acme", ownerId: "u1", customProperties: { a: 1, b: 2 } })).body.data.lead;
  const patched = await member.send("PATCH", `/api/v1/crm/leads/${lead._id}`, { value: "990", customProperties: { b: null } });
  expect(patched.status).toBe(200);
  expect(patched.body.data.lead).toMatchObject({ firstName: "Ana", company: "Acme", ownerId: "u1", value: "990", customProperties: { a: 1 } });
  const cleared = await member.send("PATCH", `/api/v1/crm/leads/${lead._id}`, { ownerId: "" });
  expect(cleared.body.data.lead).toMatchObject({ ownerId: "", company: "Acme" });
  const stage = await member.send("PATCH", `/api/v1/crm/leads/${lead._id}`, { stageId: newObjectId() });
  expect(stage.status).toBe(422);
});

test.each([
  ["a bad e-mail (checked at the gateway)", { firstName: "A", email: "nope" }, "email"],
  ["a negative value", { firstName: "A", value: "-1" }, "value"],
  ["no name, e-mail, phone or company", { source: "web" }, "firstName"],
  ["an impossible close date", { firstName: "A", expectedCloseDate: "2027-13-01" }, "expectedCloseDate"],
])("POST /crm/leads with %s is 422 with the field path", async (_, body, path) => {
  const member = await asMember();
  const response = await member.send("POST", "/api/v1/crm/leads", body);
  expect(response.status).toBe(422);
  expect(response.body.error.code).toBe("VALIDATION_ERROR");
  expect(response.body.error.details.errors.map((e: { path: string }) => e.path)).toContain(path);
});

test("a stageId outside pipelineId is 422 on stageId, on create and on move", async () => {
  const member = await asMember();
  const first = await pipelineOf(member, "First");
  const second = await pipelineOf(member, "Second");
  const mismatch = await member.send("POST", "/api/v1/crm/leads", { firstName: "A", pipelineId: first.pipeline._id, stageId: second.open._id });
  expect(mismatch.status).toBe(422);
  expect(mismatch.body.error.details.errors).toEqual([{ path: "stageId", message: `is not a stage of pipeline ${first.pipeline._id}` }]);
  const unknown = await member.send("POST", "/api/v1/crm/leads", { firstName: "A", pipelineId: newObjectId() });
  expect(unknown.body.error.details.errors).toEqual([{ path: "pipelineId", message: "no such pipeline" }]);

  const lead = (await member.send("POST", "/api/v1/crm/leads", { firstName: "A", stageId: first.open._id })).body.data.lead;
  const move = await member.send("POST", `/api/v1/crm/leads/${lead._id}/move`, { stageId: second.won._id });
  expect(move.status).toBe(422);
  expect(move.body.error.details.errors[0].path).toBe("stageId");
  expect((await member.get(`/api/v1/crm/leads/${lead._id}`)).body.data.lead.stageId).toBe(first.open._id);
});

test("stage moves over REST: history, won and lost, events", async () => {
  const member = await asMember();
  const { open, won, lost } = await pipelineOf(member);
  const lead = (await member.send("POST", "/api/v1/crm/leads", { firstName: "Ana", stageId: open._id, value: "5000" })).body.data.lead;

  const wonMove = await member.send("POST", `/api/v1/crm/leads/${lead._id}/move`, { stageId: won._id });
  expect(wonMove.status).toBe(200);
  expect(wonMove.body.data.lead).toMatchObject({ status: "won", stageId: won._id });
  expect(wonMove.body.data.lead.closedAt).toBe(wonMove.body.data.lead.stageEnteredAt);
  expect(wonMove.body.data.change).toMatchObject({ fromStageId: open._id, toStageId: won._id });

  const lostMove = await member.send("POST", `/api/v1/crm/leads/${lead._id}/move`, { stageId: lost._id, lostReason: "budget cut" });
  expect(lostMove.body.data.lead).toMatchObject({ status: "lost", lostReason: "budget cut" });

  const history = await member.get(`/api/v1/crm/leads/${lead._id}/history`);
  expect(history.status).toBe(200);
  expect(history.body.data.items.map((c: { toStageId: string }) => c.toStageId)).toEqual([open._id, won._id, lost._id]);
  expect(history.body.data.items[0]).toMatchObject({ fromStageId: "", timeInStageMs: "0" });

  const changed = await readOutboxEvents("crm", "crm.lead.stage_changed", (data) => data.lead?._id === lead._id);
  expect(changed.map((e) => e.data.change.toStageId)).toEqual([won._id, lost._id]);
  expect(await readOutboxEvents("crm", "crm.lead.won", (data) => data.lead?._id === lead._id)).toHaveLength(1);
  expect(await readOutboxEvents("crm", "crm.lead.lost", (data) => data.lead?._id === lead._id)).toHaveLength(1);
});

test("bulk update over REST is all or nothing", async () => {
  const member = await asMember();
  const { open, won } = await pipelineOf(member);
  const ids: string[] = [];
  for (const firstName of ["A", "B", "C"]) ids.push((await member.send("POST", "/api/v1/crm/leads", { firstName, stageId: open._id })).body.data.lead._id);

  const missing = newObjectId();
  const refused = await member.send("POST", "/api/v1/crm/leads/bulk-update", { leadIds: [...ids, missing], stageId: won._id, ownerId: "u7" });
  expect(refused.status).toBe(404);
  expect(refused.body.error.details.resourceId).toBe(missing);
  for (const id of ids) expect((await member.get(`/api/v1/crm/leads/${id}`)).body.data.lead).toMatchObject({ stageId: open._id, status: "open" });

  const done = await member.send("POST", "/api/v1/crm/leads/bulk-update", { leadIds: ids, stageId: won._id, ownerId: "u7" });
  expect(done.status).toBe(200);
  expect(done.body.data.updatedCount).toBe(3);
  expect(done.body.data.leads.map((l: { status: string; ownerId: string }) => [l.status, l.ownerId])).toEqual([
    ["won", "u7"],
    ["won", "u7"],
    ["won", "u7"],
  ]);
  const tooMany = await member.send("POST", "/api/v1/crm/leads/bulk-update", { leadIds: Array.from({ length: 101 }, () => ids[0]), ownerId: "x" });
  expect(tooMany.status).toBe(422);
  expect(tooMany.body.error.details.errors[0].path).toBe("leadIds");
});

test("the board and pipeline management over REST", async () => {
  const member = await asMember();
  const defaultPipeline = (await member.get("/api/v1/crm/pipelines/default")).body.data.pipeline;
  expect(defaultPipeline).toMatchObject({ name: "Sales pipeline", isDefault: true });
  const [firstStage] = defaultPipeline.stages;
  await member.send("POST", "/api/v1/crm/leads", { firstName: "A", value: "100" });
  await member.send("POST", "/api/v1/crm/leads", { firstName: "B", value: "300" });

  const board = await member.get(`/api/v1/crm/pipelines/${defaultPipeline._id}/board?leadsPerStage=1`);
  expect(board.status).toBe(200);
  expect(board.body.data.columns).toHaveLength(6);
  expect(board.body.data.columns[0]).toMatchObject({ stage: { _id: firstStage._id }, leadCount: 2, hasMore: true, valueSums: [{ currency: "USD", amount: "400" }] });
  expect(board.body.data.columns[0].leads).toHaveLength(1);
  const forecast = await member.get(`/api/v1/crm/pipelines/${defaultPipeline._id}/forecast`);
  expect(forecast.status).toBe(200);
  expect(forecast.body.data.totals).toEqual([{ month: "", currency: "USD", leadCount: 2, value: "400", weightedValue: "40" }]);
  expect((await member.get(`/api/v1/crm/pipelines/${defaultPipeline._id}/forecast?fromMonth=2027-1`)).status).toBe(422);
  const tagged = await member.get(`/api/v1/crm/leads?customProperties=tier%3Dgold`);
  expect(tagged.body.data.pagination.total).toBe(0);
  const rest = await member.get(`/api/v1/crm/pipelines/${defaultPipeline._id}/stages/${firstStage._id}/leads?page=2&limit=1`);
  expect(rest.body.data.pagination).toEqual({ page: 2, limit: 1, total: 2, totalPages: 2 });

  const added = await member.send("POST", `/api/v1/crm/pipelines/${defaultPipeline._id}/stages`, { stage: { name: "Demo", probability: 40 }, position: 1 });
  expect(added.status).toBe(201);
  const stageId = added.body.data.stage._id;
  const patched = await member.send("PATCH", `/api/v1/crm/pipelines/${defaultPipeline._id}/stages/${stageId}`, { probability: 45 });
  expect(patched.body.data.stage).toMatchObject({ name: "Demo", probability: 45 });
  const order = added.body.data.pipeline.stages.map((s: { _id: string }) => s._id).reverse();
  const reordered = await member.send("POST", `/api/v1/crm/pipelines/${defaultPipeline._id}/stages/reorder`, { stageIds: order });
  expect(reordered.body.data.pipeline.stages.map((s: { _id: string }) => s._id)).toEqual(order);
  expect((await member.send("DELETE", `/api/v1/crm/pipelines/${defaultPipeline._id}/stages/${stageId}`)).status).toBe(200);
  const nonEmpty = await member.send("DELETE", `/api/v1/crm/pipelines/${defaultPipeline._id}/stages/${firstStage._id}`);
  expect(nonEmpty.status).toBe(409);
  expect(nonEmpty.body.error).toMatchObject({ code: "CONFLICT", message: "The stage holds leads; move them first" });
  const archiveDefault = await member.send("POST", `/api/v1/crm/pipelines/${defaultPipeline._id}/archive`, {});
  expect(archiveDefault.status).toBe(409);
  const renamed = await member.send("PATCH", `/api/v1/crm/pipelines/${defaultPipeline._id}`, { name: "Inbound" });
  expect(renamed.body.data.pipeline).toMatchObject({ name: "Inbound", isDefault: true });
});

test("task lifecycle, activities and the lead timeline over REST", async () => {
  const member = await asMember();
  const lead = (await member.send("POST", "/api/v1/crm/leads", { firstName: "Ana" })).body.data.lead;
  const created = await member.send("POST", "/api/v1/crm/tasks", { title: "Call Ana", dueAt: "2020-05-01T09:00:00Z", priority: "high", leadId: lead._id });
  expect(created.status).toBe(201);
  const task = created.body.data.task;
  expect(task).toMatchObject({ title: "Call Ana", dueAt: "2020-05-01T09:00:00Z", priority: "high", status: "open", leadId: lead._id });
  expect((await member.get("/api/v1/crm/tasks?view=overdue")).body.data.items.map((t: { _id: string }) => t._id)).toEqual([task._id]);

  const patched = await member.send("PATCH", `/api/v1/crm/tasks/${task._id}`, { dueAt: "2100-01-01T00:00:00Z" });
  expect(patched.body.data.task).toMatchObject({ title: "Call Ana", priority: "high", dueAt: "2100-01-01T00:00:00Z" });
  expect((await member.get("/api/v1/crm/tasks?view=overdue")).body.data.items).toEqual([]);

  const completed = await member.send("POST", `/api/v1/crm/tasks/${task._id}/complete`, {});
  expect(completed.status).toBe(200);
  expect(completed.body.data.task.status).toBe("completed");
  expect(completed.body.data.task.completedAt).toEqual(expect.any(String));
  expect(await readOutboxEvents("crm", "crm.task.completed", (data) => data.task?._id === task._id)).toHaveLength(1);
  expect((await member.get("/api/v1/crm/tasks?status=completed")).body.data.pagination.total).toBe(1);
  const reopened = await member.send("POST", `/api/v1/crm/tasks/${task._id}/reopen`, {});
  expect(reopened.body.data.task.status).toBe("open");
  const badZone = await member.get("/api/v1/crm/tasks?view=due_today&timeZone=Nowhere/Land");
  expect(badZone.status).toBe(422);
  expect(badZone.body.error.details.errors[0].path).toBe("timeZone");
  const badLead = await member.send("POST", "/api/v1/crm/tasks", { title: "x", leadId: newObjectId() });
  expect(badLead.status).toBe(422);
  expect(badLead.body.error.details.errors).toEqual([{ path: "leadId", message: "no such lead" }]);

  const logged = await member.send("POST", `/api/v1/crm/leads/${lead._id}/activities`, { type: "meeting", subject: "Demo", durationSeconds: 1800 });
  expect(logged.status).toBe(201);
  expect(logged.body.data.activity).toMatchObject({ type: "meeting", subject: "Demo", durationSeconds: 1800, leadId: lead._id });
  expect(await readOutboxEvents("crm", "crm.activity.added", (data) => data.activity?.leadId === lead._id)).toHaveLength(1);
  expect((await member.get(`/api/v1/crm/leads/${lead._id}/activities`)).body.data.items).toHaveLength(1);

  const timeline = await member.get(`/api/v1/crm/leads/${lead._id}/timeline`);
  expect(timeline.status).toBe(200);
  expect(timeline.body.data.items.map((e: { kind: string }) => e.kind).sort()).toEqual(["activity", "stage_change", "task"]);
  expect(timeline.body.data.items.find((e: { kind: string }) => e.kind === "task").task._id).toBe(task._id);

  expect((await member.send("DELETE", `/api/v1/crm/leads/${lead._id}/activities/${logged.body.data.activity._id}`)).status).toBe(200);
  expect((await member.send("DELETE", `/api/v1/crm/tasks/${task._id}`)).status).toBe(200);
  expect((await member.get(`/api/v1/crm/tasks/${task._id}`)).status).toBe(404);
});

// Polls a job through the gateway until it has finished (a bounded number of reads, no timing).
async function finishedJob(member: Awaited<ReturnType<typeof asMember>>, path: string) {
  const response = await eventually(
    () => member.get(path),
    (r) => ["JOB_STATUS_COMPLETED", "JOB_STATUS_FAILED"].includes(r.body.data?.job?.status),
  );
  return response.body.data.job;
}

test("CSV import and export jobs over REST: 202 and progress, errors and the export as text/csv files, tenant isolation on every job route", async () => {
  const member = await asMember();
  const csv = "firstName,email,value\nAna,ana@example.com,100\nBruno,,250\nCy,nope,1";
  const started = await member.send("POST", "/api/v1/crm/imports", { csv, fileName: "leads.csv" });
  expect(started.status).toBe(202);
  expect(started.body.data.job).toMatchObject({ status: "JOB_STATUS_QUEUED", fileName: "leads.csv", dryRun: false });
  const importId = started.body.data.job._id;
  expect(await finishedJob(member, `/api/v1/crm/imports/${importId}`)).toMatchObject({ status: "JOB_STATUS_COMPLETED", processedRows: 3, createdCount: 2, errorCount: 1 });
  expect((await member.get("/api/v1/crm/imports?limit=10")).body.data).toMatchObject({ items: [{ _id: importId }], pagination: { total: 1 } });
  const errors = await member.get(`/api/v1/crm/imports/${importId}/errors`);
  expect(errors.status).toBe(200);
  expect(errors.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(errors.headers.get("content-disposition")).toBe(`attachment; filename="lead-import-${importId}-errors.csv"`);
  expect((errors.body as string).trim().split("\n")).toEqual(["row,column,message,data", expect.stringMatching(/^3,email,email .*,"Cy,nope,1"$/)]);
  const refused = await member.send("POST", "/api/v1/crm/imports", { csv: "firstName\nA", upsertKey: "email" });
  expect(refused.status).toBe(422);
  expect(refused.body.error.details.errors).toEqual([{ path: "mapping", message: "no column is mapped to email, which rows are matched by" }]);

  const exportStarted = await member.send("POST", "/api/v1/crm/exports", { filter: { status: "open" } });
  expect(exportStarted.status).toBe(202);
  expect(exportStarted.body.data.job).toMatchObject({ totalRows: 2, filter: { status: "open" } });
  const exportId = exportStarted.body.data.job._id;
  expect(await finishedJob(member, `/api/v1/crm/exports/${exportId}`)).toMatchObject({ status: "JOB_STATUS_COMPLETED", exportedRows: 2 });
  expect((await member.get("/api/v1/crm/exports")).body.data.items.map((j: { _id: string }) => j._id)).toEqual([exportId]);
  const file = await member.get(`/api/v1/crm/exports/${exportId}/download`);
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(file.headers.get("content-disposition")).toBe(`attachment; filename="leads-${exportId}.csv"`);
  const lines = (file.body as string).trim().split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]!.startsWith("_id,firstName,")).toBe(true);
  expect(file.body).toContain("Ana,,ana@example.com");
  // Errors stay envelopes.
  const badFilter = await member.send("POST", "/api/v1/crm/exports", { filter: { pipelineId: "nope" } });
  expect(badFilter.status).toBe(422);
  expect(badFilter.body).toMatchObject({ success: false, error: { code: "VALIDATION_ERROR", details: { errors: [{ path: "filter.pipelineId" }] } } });

  // Another workspace sees none of it, on every job route; its own export takes none of these leads.
  const other = await asMember();
  for (const path of [`/api/v1/crm/imports/${importId}`, `/api/v1/crm/imports/${importId}/errors`, `/api/v1/crm/exports/${exportId}`, `/api/v1/crm/exports/${exportId}/download`]) {
    const response = await other.get(path);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("NOT_FOUND");
  }
  expect((await other.get("/api/v1/crm/imports")).body.data.items).toEqual([]);
  expect((await other.get("/api/v1/crm/exports")).body.data.items).toEqual([]);
  const own = await other.send("POST", "/api/v1/crm/exports", {});
  expect(own.body.data.job.totalRows).toBe(0);
  await finishedJob(other, `/api/v1/crm/exports/${own.body.data.job._id}`);
  expect((await other.get(`/api/v1/crm/exports/${own.body.data.job._id}/download`)).body.trim().split("\n")).toEqual([lines[0]]);
  // Reading jobs needs crm:read; importing needs crm:write.
  const reader = await asMember(["crm:read"], member.workspaceId);
  expect((await reader.get(`/api/v1/crm/imports/${importId}`)).status).toBe(200);
  expect((await reader.send("POST", "/api/v1/crm/imports", { csv })).status).toBe(403);
});

test("permissions: crm:read reads, crm:write writes leads, crm:manage configures pipelines and deletes", async () => {
  const owner = await asMember();
  const lead = (await owner.send("POST", "/api/v1/crm/leads", { firstName: "A" })).body.data.lead;
  const reader = await asMember(["crm:read"], owner.workspaceId);
  expect((await reader.get("/api/v1/crm/leads")).status).toBe(200);
  expect((await reader.send("POST", "/api/v1/crm/leads", { firstName: "B" })).status).toBe(403);
  const writer = await asMember(["crm:write"], owner.workspaceId);
  expect((await writer.send("POST", "/api/v1/crm/leads", { firstName: "B" })).status).toBe(201);
  expect((await writer.send("POST", "/api/v1/crm/pipelines", { name: "P", stages: [{ name: "S" }] })).status).toBe(403);
  expect((await writer.send("DELETE", `/api/v1/crm/leads/${lead._id}`)).status).toBe(403);
  const manager = await asMember(["crm:manage"], owner.workspaceId);
  expect((await manager.send("DELETE", `/api/v1/crm/leads/${lead._id}`)).status).toBe(200);
});

test("tenant isolation on every route: another workspace's ids are 404 and nothing changes", async () => {
  const owner = await asMember();
  const { pipeline, open, won, lost } = await pipelineOf(owner);
  const lead = (await owner.send("POST", "/api/v1/crm/leads", { firstName: "Secret", stageId: open._id })).body.data.lead;
  const task = (await owner.send("POST", "/api/v1/crm/tasks", { title: "Call", leadId: lead._id })).body.data.task;
  const activity = (await owner.send("POST", `/api/v1/crm/leads/${lead._id}/activities`, { type: "note", body: "private" })).body.data.activity;
  const intruder = await asMember();
  const p = pipeline._id;
  const routes: [string, string, unknown?][] = [
    ["GET", `/api/v1/crm/pipelines/${p}`],
    ["PATCH", `/api/v1/crm/pipelines/${p}`, { name: "Mine" }],
    ["POST", `/api/v1/crm/pipelines/${p}/archive`, {}],
    ["POST", `/api/v1/crm/pipelines/${p}/unarchive`, {}],
    ["POST", `/api/v1/crm/pipelines/${p}/stages`, { stage: { name: "X" } }],
    ["PATCH", `/api/v1/crm/pipelines/${p}/stages/${open._id}`, { name: "X" }],
    ["DELETE", `/api/v1/crm/pipelines/${p}/stages/${lost._id}`],
    ["POST", `/api/v1/crm/pipelines/${p}/stages/reorder`, { stageIds: [lost._id, won._id, open._id] }],
    ["GET", `/api/v1/crm/pipelines/${p}/board`],
    ["GET", `/api/v1/crm/pipelines/${p}/forecast`],
    ["GET", `/api/v1/crm/pipelines/${p}/stages/${open._id}/leads`],
    ["GET", `/api/v1/crm/leads/${lead._id}`],
    ["PATCH", `/api/v1/crm/leads/${lead._id}`, { firstName: "Stolen" }],
    ["DELETE", `/api/v1/crm/leads/${lead._id}`],
    ["POST", `/api/v1/crm/leads/${lead._id}/move`, { stageId: won._id }],
    ["GET", `/api/v1/crm/leads/${lead._id}/history`],
    ["POST", "/api/v1/crm/leads/bulk-update", { leadIds: [lead._id], ownerId: "thief" }],
    ["GET", `/api/v1/crm/tasks/${task._id}`],
    ["PATCH", `/api/v1/crm/tasks/${task._id}`, { title: "Stolen" }],
    ["POST", `/api/v1/crm/tasks/${task._id}/complete`, {}],
    ["POST", `/api/v1/crm/tasks/${task._id}/reopen`, {}],
    ["DELETE", `/api/v1/crm/tasks/${task._id}`],
    ["POST", `/api/v1/crm/leads/${lead._id}/activities`, { type: "note", body: "x" }],
    ["GET", `/api/v1/crm/leads/${lead._id}/activities`],
    ["DELETE", `/api/v1/crm/leads/${lead._id}/activities/${activity._id}`],
    ["GET", `/api/v1/crm/leads/${lead._id}/timeline`],
  ];
  for (const [method, path, body] of routes) {
    const response = method === "GET" ? await intruder.get(path) : await intruder.send(method, path, body);
    expect([method, path, response.status]).toEqual([method, path, 404]);
  }
  const create = await intruder.send("POST", "/api/v1/crm/leads", { firstName: "X", stageId: open._id });
  expect(create.status).toBe(422);
  expect((await intruder.get("/api/v1/crm/leads")).body.data.pagination.total).toBe(0);
  expect((await intruder.get("/api/v1/crm/tasks")).body.data.pagination.total).toBe(0);
  expect((await intruder.get("/api/v1/crm/pipelines")).body.data.items.map((x: { _id: string }) => x._id)).not.toContain(p);

  // The intruder's token does not open the owner's workspace either.
  const headers = { authorization: `Bearer ${await h.token(intruder.workspaceId)}`, "x-workspace-id": owner.workspaceId };
  expect((await h.request(`/api/v1/crm/leads/${lead._id}`, { headers })).status).toBe(403);

  expect((await owner.get(`/api/v1/crm/leads/${lead._id}`)).body.data.lead).toEqual(lead);
  expect((await owner.get(`/api/v1/crm/pipelines/${p}`)).body.data.pipeline).toEqual(pipeline);
  expect((await owner.get(`/api/v1/crm/tasks/${task._id}`)).body.data.task).toEqual(task);
  expect((await owner.get(`/api/v1/crm/leads/${lead._id}/timeline`)).body.data.pagination.total).toBe(3);
});
