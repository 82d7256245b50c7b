import { newObjectId, type RunningService } from "@velaflows/kit";
import { main as startMacros } from "@velaflows/macros";
import { startTestService } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

// The Macros service end to end: a REST client, the gateway's whole pipeline, real gRPC, a real
// database. Each asMember() is a fresh user (the gateway sets x-user-id from the token).
let service: RunningService;
let h: GatewayHarness;
beforeAll(async () => {
  service = await startTestService("macros", startMacros);
  h = await startGatewayHarness({}, { macros: service.grpcAddress });
});
afterAll(async () => {
  await h.stop();
  await service.stop();
});

const asMember = (workspaceId?: string, permissions?: readonly string[]) => h.member(permissions, workspaceId);

test("create, render and execute a macro over REST", async () => {
  const agent = await asMember();
  const created = await agent.send("POST", "/api/v1/macros", {
    name: "Resolve politely",
    shortCode: "resolve",
    actions: [
      { type: "send_reply", body: 'Thanks {{customer.firstName | default: "there"}}, {{agent.name}} here.' },
      { type: "set_status", status: "resolved" },
    ],
  });
  expect(created.status).toBe(201);
  const macro = created.body.data.macro;
  expect(macro).toMatchObject({ shortCode: "resolve", visibility: "workspace", usageCount: 0 });

  const rendered = await agent.send("POST", `/api/v1/macros/${macro._id}/render`, { context: { agent: { name: "Sam" } } });
  expect(rendered.status).toBe(200);
  expect(rendered.body.data.actions[0]).toMatchObject({ type: "send_reply", body: "Thanks there, Sam here." });

  const executed = await agent.send("POST", `/api/v1/macros/${macro._id}/execute`, { conversationId: "c-1", context: { customer: { firstName: "Ana" } } });
  expect(executed.status).toBe(200);
  expect(executed.body.data).toMatchObject({
    conversationId: "c-1",
    actions: [{ type: "send_reply", body: "Thanks Ana,  here." }, { type: "set_status", status: "resolved" }],
    missingVariables: ["agent.name"],
    macro: { usageCount: 1 },
  });

  const byCode = await agent.get("/api/v1/macros/short-codes/resolve");
  expect(byCode.body.data.macro._id).toBe(macro._id);
  const listed = await agent.get("/api/v1/macros?kind=multi_action&search=polite");
  expect(listed.body.data.pagination.total).toBe(1);
  expect((await agent.get("/api/v1/macros/variables")).body.data.items.length).toBeGreaterThan(10);
});

test.each([
  ["a bad action (checked by the service)", { name: "m", shortCode: "m", actions: [{ type: "add_tag" }] }, [{ path: "actions[0].tagId", message: "is required for add_tag" }]],
  ["an unknown variable", { name: "m", shortCode: "m", body: "{{customer.shoeSize}}" }, [{ path: "body", message: expect.stringContaining("unknown variable") }]],
  ["a bad status (checked at the gateway)", { name: "m", shortCode: "m", actions: [{ type: "set_status", status: "done" }] }, [
    { path: "actions[0].status", message: "must be one of: open, pending, resolved" },
  ]],
  ["a missing short code", { name: "m", body: "x" }, [{ path: "shortCode", message: "is required" }]],
])("%s → 422 with field paths", async (_, json, errors) => {
  const agent = await asMember();
  const response = await agent.send("POST", "/api/v1/macros", json);
  expect(response.status).toBe(422);
  expect(response.body.error).toMatchObject({ code: "VALIDATION_ERROR", details: { errors } });
});

test("personal macros are visible only to their creator; a taken short code is 409", async () => {
  const workspaceId = newObjectId();
  const me = await asMember(workspaceId);
  const colleague = await asMember(workspaceId);
  const { body } = await me.send("POST", "/api/v1/macros", { name: "Mine", shortCode: "mine", body: "x", visibility: "personal" });
  const id = body.data.macro._id;
  expect((await me.get(`/api/v1/macros/${id}`)).status).toBe(200);
  expect((await colleague.get(`/api/v1/macros/${id}`)).status).toBe(404);
  expect((await colleague.get("/api/v1/macros")).body.data.pagination.total).toBe(0);
  expect((await colleague.send("POST", "/api/v1/macros", { name: "Also", shortCode: "MINE", body: "y" })).status).toBe(409);
});

test("permissions and tenant isolation", async () => {
  const owner = await asMember();
  const { body } = await owner.send("POST", "/api/v1/macros", { name: "Hi", shortCode: "hi", body: "Hi" });
  const id = body.data.macro._id;
  const other = await asMember();
  expect((await other.get(`/api/v1/macros/${id}`)).status).toBe(404);
  expect((await other.send("PATCH", `/api/v1/macros/${id}`, { name: "Stolen" })).status).toBe(404);
  expect((await other.send("POST", `/api/v1/macros/${id}/execute`, { conversationId: "c" })).status).toBe(404);
  const reader = await asMember(owner.workspaceId, ["macros:read"]);
  expect((await reader.send("POST", `/api/v1/macros/${id}/render`, {})).status).toBe(200);
  expect((await reader.send("POST", `/api/v1/macros/${id}/execute`, { conversationId: "c" })).status).toBe(403);
  expect((await owner.send("PATCH", `/api/v1/macros/${id}`, { body: "Hello" })).body.data.macro).toMatchObject({ name: "Hi", body: "Hello" });
});

test("a WhatsApp reply outside the 24-hour window is 409", async () => {
  const agent = await asMember();
  const { body } = await agent.send("POST", "/api/v1/macros", { name: "Nudge", shortCode: "nudge", body: "Still there?" });
  const lastCustomerMessageAt = new Date(Date.now() - 48 * 3_600_000).toISOString();
  const response = await agent.send("POST", `/api/v1/macros/${body.data.macro._id}/execute`, {
    conversationId: "c-1",
    context: { conversation: { channel: "whatsapp", lastCustomerMessageAt } },
  });
  expect(response.status).toBe(409);
  expect(response.body.error.message).toContain("WhatsApp accepts only approved templates");
});
