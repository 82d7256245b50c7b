import type { RunningService } from "@velaflows/kit";
import { main as startTags } from "@velaflows/tags";
import { startTestService } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

// The Tags service end to end: a REST client, the gateway's whole pipeline, real gRPC, a real database.
let tags: RunningService;
let h: GatewayHarness;
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  h = await startGatewayHarness({}, { tags: tags.grpcAddress });
});
afterAll(async () => {
  await h.stop();
  await tags.stop();
});

const asMember = (permissions?: readonly string[]) => h.member(permissions);

test("the documented recipes: create returns data.tag._id, list is the paginated envelope", async () => {
  const member = await asMember();
  const created = await member.send("POST", "/api/v1/tags", { name: "Urgent", color: "#ef4444", entityTypes: ["conversation"] });
  expect(created.status).toBe(201);
  expect(created.body.success).toBe(true);
  expect(created.body.data.tag).toMatchObject({ name: "Urgent", color: "#ef4444", entityTypes: ["conversation"], usageCount: 0, workspaceId: member.workspaceId });
  expect(created.body.data.tag._id).toMatch(/^[0-9a-f]{24}$/);
  expect(created.body.data.tag.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const listed = await member.get("/api/v1/tags?entityType=conversation&page=1&limit=20&sortBy=createdAt&sortOrder=desc");
  expect(listed.status).toBe(200);
  expect(listed.body).toEqual({
    success: true,
    data: { items: [created.body.data.tag], pagination: { page: 1, limit: 20, total: 1, totalPages: 1 } },
  });
});

test("PATCH updates only the fields sent", async () => {
  const member = await asMember();
  const { body } = await member.send("POST", "/api/v1/tags", { name: "Before", color: "#111111", description: "kept" });
  const id = body.data.tag._id;
  const patched = await member.send("PATCH", `/api/v1/tags/${id}`, { name: "After" });
  expect(patched.status).toBe(200);
  expect(patched.body.data.tag).toMatchObject({ name: "After", color: "#111111", description: "kept" });
  const cleared = await member.send("PATCH", `/api/v1/tags/${id}`, { description: "" });
  expect(cleared.body.data.tag).toMatchObject({ name: "After", description: "" });
});

test("attach, list by entity, usage, detach", async () => {
  const member = await asMember();
  const { body } = await member.send("POST", "/api/v1/tags", { name: "VIP" });
  const id = body.data.tag._id;
  const attached = await member.send("POST", `/api/v1/tags/${id}/entities`, { entityType: "customer", entityId: "c-1" });
  expect(attached.status).toBe(201);
  expect(attached.body.data).toMatchObject({ created: true, assignment: { tagId: id, entityType: "customer", entityId: "c-1" } });
  expect((await member.get("/api/v1/tags/entities/customer/c-1")).body.data.items.map((t: { name: string }) => t.name)).toEqual(["VIP"]);
  expect((await member.get(`/api/v1/tags/${id}/usage`)).body.data).toEqual({ tagId: id, total: 1, byEntityType: [{ entityType: "customer", count: 1 }] });
  const detached = await member.send("DELETE", `/api/v1/tags/${id}/entities/customer/c-1`);
  expect(detached.body).toEqual({ success: true, data: { detached: true } });
});

test.each([
  ["unknown tag", "GET", "/api/v1/tags/0123456789abcdef01234567", undefined, 404, "NOT_FOUND", { resourceId: "0123456789abcdef01234567" }],
  ["malformed id (checked at the gateway)", "GET", "/api/v1/tags/nope", undefined, 422, "VALIDATION_ERROR", { errors: [{ path: "id", message: "must be a 24-character hex id" }] }],
  ["bad colour", "POST", "/api/v1/tags", { name: "x", color: "red" }, 422, "VALIDATION_ERROR", { errors: [{ path: "color", message: "must be a hex colour such as #22c55e" }] }],
  ["missing name", "POST", "/api/v1/tags", {}, 422, "VALIDATION_ERROR", { errors: [{ path: "name", message: "is required" }] }],
  ["limit above 100", "GET", "/api/v1/tags?limit=101", undefined, 422, "VALIDATION_ERROR", { errors: [{ path: "limit", message: "must be at most 100" }] }],
  ["a limit that is not a number", "GET", "/api/v1/tags?limit=ten", undefined, 400, "BAD_REQUEST", { parameter: "limit" }],
])("%s", async (_, method, path, json, status, code, details) => {
  const member = await asMember();
  const response = await member.send(method, path, json);
  expect(response.status).toBe(status);
  expect(response.body.error).toMatchObject({ code, details });
});

test("a duplicate name is 409 CONFLICT", async () => {
  const member = await asMember();
  await member.send("POST", "/api/v1/tags", { name: "Dup" });
  const second = await member.send("POST", "/api/v1/tags", { name: "DUP" });
  expect(second.status).toBe(409);
  expect(second.body.error).toMatchObject({ code: "CONFLICT", message: 'A tag named "DUP" already exists' });
});

test("permissions: read-only members cannot write", async () => {
  const reader = await asMember(["tags:read"]);
  expect((await reader.get("/api/v1/tags")).status).toBe(200);
  const refused = await reader.send("POST", "/api/v1/tags", { name: "No" });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe("FORBIDDEN");
});

test("tenants are isolated through the gateway", async () => {
  const owner = await asMember();
  const other = await asMember();
  const { body } = await owner.send("POST", "/api/v1/tags", { name: "Mine" });
  const id = body.data.tag._id;
  expect((await other.get(`/api/v1/tags/${id}`)).status).toBe(404);
  expect((await other.send("PATCH", `/api/v1/tags/${id}`, { name: "Stolen" })).status).toBe(404);
  expect((await other.send("DELETE", `/api/v1/tags/${id}`)).status).toBe(404);
  expect((await other.get("/api/v1/tags")).body.data.pagination.total).toBe(0);
  // A member of one workspace cannot name another workspace in the header.
  const crossing = await h.request(`/api/v1/tags/${id}`, {
    headers: { authorization: `Bearer ${await h.token(other.workspaceId)}`, "x-workspace-id": owner.workspaceId },
  });
  expect(crossing.status).toBe(403);
  expect((await owner.get(`/api/v1/tags/${id}`)).body.data.tag.name).toBe("Mine");
});

test("the OpenAPI document describes the Tags routes", async () => {
  const response = await h.request("/api/v1/openapi.json");
  expect(response.status).toBe(200);
  expect(response.body.openapi).toMatch(/^3\.1\./);
  expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(["/api/v1/tags", "/api/v1/tags/{id}"]));
  expect(response.body.paths["/api/v1/tags"].post.responses["201"]).toBeDefined();
  const docs = await fetch(`${h.gateway.url}/docs`);
  expect(docs.status).toBe(200);
  expect(await docs.text()).toContain("swagger-ui");
});

test("batch get: GET /tags:batchGet?ids=…&ids=… answers the tags in request order; unknown ids are 404 naming them; other workspaces' tags are unknown", async () => {
  const member = await asMember();
  const first = (await member.send("POST", "/api/v1/tags", { name: "First" })).body.data.tag;
  const second = (await member.send("POST", "/api/v1/tags", { name: "Second" })).body.data.tag;
  const got = await member.get(`/api/v1/tags:batchGet?ids=${second._id}&ids=${first._id}`);
  expect(got.status).toBe(200);
  expect(got.body).toEqual({ success: true, data: { tags: [second, first] } });

  const unknown = "0123456789abcdef01234567";
  const missing = await member.get(`/api/v1/tags:batchGet?ids=${first._id}&ids=${unknown}`);
  expect(missing.status).toBe(404);
  expect(missing.body.error).toMatchObject({ code: "NOT_FOUND", message: `Tag not found: ${unknown}`, details: { resourceId: unknown } });

  const other = await asMember();
  const isolated = await other.get(`/api/v1/tags:batchGet?ids=${first._id}`);
  expect(isolated.status).toBe(404);
  expect(isolated.body.error.message).toBe(`Tag not found: ${first._id}`);

  const malformed = await member.get("/api/v1/tags:batchGet?ids=nope");
  expect(malformed.status).toBe(422);
  expect(malformed.body.error.details).toEqual({ errors: [{ path: "ids[0]", message: "must be a 24-character hex id" }] });
  expect((await member.get("/api/v1/tags:batchGet")).status).toBe(422);
  // The custom verb leaves GET /tags/{id} and GET /tags alone.
  expect((await member.get(`/api/v1/tags/${first._id}`)).body.data.tag.name).toBe("First");
  expect((await member.get("/api/v1/tags")).body.data.pagination.total).toBe(2);
});
