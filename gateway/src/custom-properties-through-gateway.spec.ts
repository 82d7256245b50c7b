import { newObjectId, type RunningService } from "@velaflows/kit";
import { main as startCustomProperties } from "@velaflows/custom-properties";
import { startTestService } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

// The Custom Properties service end to end: a REST client, the gateway's whole pipeline, real
// gRPC, a real database.
let service: RunningService;
let h: GatewayHarness;
beforeAll(async () => {
  service = await startTestService("custom-properties", startCustomProperties);
  h = await startGatewayHarness({}, { "custom-properties": service.grpcAddress });
});
afterAll(async () => {
  await h.stop();
  await service.stop();
});

const asMember = (permissions?: readonly string[], workspaceId?: string) => h.member(permissions, workspaceId);

test("define, list, patch, deactivate and delete with confirmation over REST", async () => {
  const admin = await asMember();
  const created = await admin.send("POST", "/api/v1/custom-properties", {
    entityType: "customer",
    key: "tier",
    label: "Tier",
    type: "select",
    options: [
      { value: "gold", label: "Gold", color: "#f59e0b" },
      { value: "silver", label: "Silver" },
    ],
    defaultValue: "silver",
  });
  expect(created.status).toBe(201);
  const property = created.body.data.property;
  expect(property).toMatchObject({ entityType: "customer", key: "tier", type: "select", defaultValue: "silver", active: true, position: 0 });
  expect(property._id).toMatch(/^[0-9a-f]{24}$/);

  const listed = await admin.get("/api/v1/custom-properties?entityType=customer&active=true&sortBy=position&sortOrder=asc");
  expect(listed.body).toEqual({ success: true, data: { items: [property], pagination: { page: 1, limit: 20, total: 1, totalPages: 1 } } });
  expect((await admin.get("/api/v1/custom-properties/entity-types/customer/keys/tier")).body.data.property._id).toBe(property._id);

  const patched = await admin.send("PATCH", `/api/v1/custom-properties/${property._id}`, { label: "Customer tier", required: true });
  expect(patched.status).toBe(200);
  expect(patched.body.data.property).toMatchObject({ label: "Customer tier", required: true, defaultValue: "silver", options: property.options });

  const deactivated = await admin.send("POST", `/api/v1/custom-properties/${property._id}/deactivate`, {});
  expect(deactivated.body.data.property.active).toBe(false);

  const unconfirmed = await admin.send("DELETE", `/api/v1/custom-properties/${property._id}`);
  expect(unconfirmed.status).toBe(422);
  expect(unconfirmed.body.error).toMatchObject({
    code: "VALIDATION_ERROR",
    details: { errors: [{ path: "confirm", message: expect.stringContaining("removes its values from every customer") }] },
  });
  const deleted = await admin.send("DELETE", `/api/v1/custom-properties/${property._id}?confirm=true`);
  expect(deleted.status).toBe(200);
  expect((await admin.get(`/api/v1/custom-properties/${property._id}`)).status).toBe(404);
});

test("validate without saving: 200 with normalised values, 422 with the path of each bad value", async () => {
  const admin = await asMember();
  await admin.send("POST", "/api/v1/custom-properties", { entityType: "lead", key: "budget", label: "Budget", type: "number", required: true });
  await admin.send("POST", "/api/v1/custom-properties", { entityType: "lead", key: "close_date", label: "Close", type: "date" });
  const ok = await admin.send("POST", "/api/v1/custom-properties/validate", { entityType: "lead", values: { budget: "1200", close_date: "2026-03-01" } });
  expect(ok.body).toEqual({ success: true, data: { values: { budget: 1200, close_date: "2026-03-01" } } });

  const bad = await admin.send("POST", "/api/v1/custom-properties/validate", { entityType: "lead", values: { close_date: "soon", colour: "red" } });
  expect(bad.status).toBe(422);
  expect(bad.body.error.details.errors).toEqual([
    { path: "values.close_date", message: "must be a date (YYYY-MM-DD)" },
    { path: "values.colour", message: "is not a custom property of lead" },
    { path: "values.budget", message: "is required" },
  ]);
  const patch = await admin.send("POST", "/api/v1/custom-properties/validate", { entityType: "lead", partial: true, values: { close_date: null } });
  expect(patch.body.data.values).toEqual({ close_date: null });
});

test.each([
  ["a key colliding with a built-in field", "POST", "/api/v1/custom-properties", { entityType: "customer", key: "email", label: "E", type: "email" }, 422, [
    { path: "key", message: 'collides with the built-in field "email" of customer' },
  ]],
  ["an unknown entity type (checked at the gateway)", "POST", "/api/v1/custom-properties", { entityType: "planet", key: "x", label: "X", type: "text" }, 422, [
    { path: "entityType", message: expect.stringContaining("must be one of") },
  ]],
  ["a malformed id (checked at the gateway)", "GET", "/api/v1/custom-properties/nope", undefined, 422, [{ path: "id", message: "must be a 24-character hex id" }]],
  ["a refused type change", "PATCH", "TIER", { type: "number" }, 422, [
    { path: "property.type", message: expect.stringContaining("cannot change from select to number") },
  ]],
])("%s → %i with field paths", async (_, method, path, json, status, errors) => {
  const admin = await asMember();
  let target = path;
  if (path === "TIER") {
    const { body } = await admin.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "tier", label: "Tier", type: "select", options: [{ value: "a", label: "A" }] });
    target = `/api/v1/custom-properties/${body.data.property._id}`;
  }
  const response = await admin.send(method, target, json);
  expect(response.status).toBe(status);
  expect(response.body.error).toMatchObject({ code: "VALIDATION_ERROR", details: { errors } });
});

test("a duplicate key is 409; groups route before ids", async () => {
  const admin = await asMember();
  await admin.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "plan", label: "Plan", type: "text" });
  const dup = await admin.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "Plan".toLowerCase(), label: "Plan", type: "text" });
  expect(dup.status).toBe(409);
  const group = await admin.send("POST", "/api/v1/custom-properties/groups", { entityType: "customer", name: "Billing" });
  expect(group.status).toBe(201);
  const groups = await admin.get("/api/v1/custom-properties/groups?entityType=customer");
  expect(groups.body.data.items.map((g: { name: string }) => g.name)).toEqual(["Billing"]);
  const types = await admin.get("/api/v1/custom-properties/entity-types");
  expect(types.body.data.items[0]).toMatchObject({ entityType: "customer", propertyCount: 1 });
});

test("permissions: readers read and validate, writers define, only managers delete", async () => {
  const workspaceId = newObjectId();
  const writer = await asMember(["custom-properties:write"], workspaceId);
  const reader = await asMember(["custom-properties:read"], workspaceId);
  const manager = await asMember(["custom-properties:manage"], workspaceId);
  const { body } = await writer.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "plan", label: "Plan", type: "text" });
  const id = body.data.property._id;
  expect((await reader.get(`/api/v1/custom-properties/${id}`)).status).toBe(200);
  expect((await reader.send("POST", "/api/v1/custom-properties/validate", { entityType: "customer", values: { plan: "pro" } })).status).toBe(200);
  expect((await reader.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "x", label: "X", type: "text" })).status).toBe(403);
  expect((await writer.send("DELETE", `/api/v1/custom-properties/${id}?confirm=true`)).status).toBe(403);
  expect((await manager.send("DELETE", `/api/v1/custom-properties/${id}?confirm=true`)).status).toBe(200);
});

test("the internal validation RPC is not served at the edge, even to an owner (access \"internal\")", async () => {
  const workspaceId = newObjectId();
  const response = await h.request("/velaflows.custom_properties.v1.CustomPropertiesInternalService/ValidatePropertyValues", {
    method: "POST",
    headers: { authorization: `Bearer ${await h.token(workspaceId)}`, "x-workspace-id": workspaceId },
    json: { entityType: "customer", values: {} },
  });
  expect(response.status).toBe(404);
  expect(JSON.stringify(response.body)).not.toContain('"values"');
});

test("tenants are isolated through the gateway", async () => {
  const owner = await asMember();
  const other = await asMember();
  const { body } = await owner.send("POST", "/api/v1/custom-properties", { entityType: "customer", key: "secret", label: "Secret", type: "text" });
  const id = body.data.property._id;
  expect((await other.get(`/api/v1/custom-properties/${id}`)).status).toBe(404);
  expect((await other.send("PATCH", `/api/v1/custom-properties/${id}`, { label: "Stolen" })).status).toBe(404);
  expect((await other.send("DELETE", `/api/v1/custom-properties/${id}?confirm=true`)).status).toBe(404);
  expect((await other.get("/api/v1/custom-properties")).body.data.pagination.total).toBe(0);
  const validated = await other.send("POST", "/api/v1/custom-properties/validate", { entityType: "customer", values: { secret: "x" } });
  expect(validated.status).toBe(422);
});
