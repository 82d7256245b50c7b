import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { RunningService } from "@velaflows/kit";
import { main as startIntegrations } from "@velaflows/integrations";
import { main as startTags } from "@velaflows/tags";
import { startTestService, startWebhookReceiver, type WebhookReceiver } from "@velaflows/testing";
import { startGatewayHarness, type GatewayHarness } from "./testing/gateway-harness.fixture";

// Webhooks end to end: a tag created through the REST API becomes a tags.tag.created event in the
// Tags outbox, travels over the event bus (RabbitMQ with AMQP_URL, else in-process) to the
// Integrations consumer, and reaches a receiver on 127.0.0.1 as a signed POST.
let tags: RunningService;
let integrations: RunningService;
let h: GatewayHarness;
let receiver: WebhookReceiver;
beforeAll(async () => {
  tags = await startTestService("tags", startTags);
  integrations = await startTestService("integrations", startIntegrations, {
    INTEGRATIONS_DATABASE_SCHEMA: `integrations_${randomBytes(4).toString("hex")}`,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WEBHOOK_TIME_SCALE: "0.05",
    WEBHOOK_POLL_INTERVAL_MS: "20",
  });
  h = await startGatewayHarness({}, { tags: tags.grpcAddress, integrations: integrations.grpcAddress });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h.stop();
  await integrations.stop();
  await tags.stop();
  await receiver.close();
});

// The receiving side as the docs' Node example writes it: HMAC-SHA256 of the raw body with the
// secret, "sha256=" prefix, constant-time comparison.
function verifyWebhookSignature(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = "sha256=" + createHmac("sha256", secret).update(rawBody).digest("hex");
  if (signature.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

const asMember = (permissions?: readonly string[]) => h.member(permissions);

test("create a subscription, create a tag: the receiver gets the signed tags.tag.created webhook", async () => {
  const member = await asMember();
  const stranger = await asMember();
  const created = await member.send("POST", "/api/v1/integrations/webhooks", { url: receiver.url, events: ["tags.tag.created"] });
  expect(created.status).toBe(201);
  const subscription = created.body.data.subscription;
  expect(subscription).toMatchObject({ url: receiver.url, events: ["tags.tag.created"], active: true, workspaceId: member.workspaceId });
  expect(subscription._id).toMatch(/^[0-9a-f]{24}$/);
  expect(subscription.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
  // The secret is shown once.
  const fetched = await member.get(`/api/v1/integrations/webhooks/${subscription._id}`);
  expect(fetched.body.data.subscription.secret).toBe("");

  // Another workspace's tag does not reach this subscription.
  expect((await stranger.send("POST", "/api/v1/tags", { name: "Elsewhere" })).status).toBe(201);
  const tag = await member.send("POST", "/api/v1/tags", { name: "VIP", color: "#22c55e" });
  expect(tag.status).toBe(201);

  const [request] = await receiver.waitFor(1, { filter: (r) => r.json?.workspaceId === member.workspaceId, timeoutMs: 20_000 });
  expect(request!.headers["x-webhook-event"]).toBe("tags.tag.created");
  expect(request!.headers["user-agent"]).toBe("VelaFlows-Webhook/1.0");
  expect(verifyWebhookSignature(request!.rawBody, request!.headers["x-webhook-signature"] as string, subscription.secret)).toBe(true);
  expect(verifyWebhookSignature(request!.rawBody, request!.headers["x-webhook-signature"] as string, "whsec_wrong")).toBe(false);
  expect(request!.json).toEqual({
    eventId: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
    eventType: "tags.tag.created",
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    workspaceId: member.workspaceId,
    data: { tag: expect.objectContaining({ _id: tag.body.data.tag._id, name: "VIP", color: "#22c55e" }) },
  });
  expect(receiver.requests.filter((r) => r.json?.workspaceId === stranger.workspaceId)).toEqual([]);

  // The delivery log, in the spec's list envelope.
  let deliveries = await member.get(`/api/v1/integrations/webhooks/${subscription._id}/deliveries`);
  for (let i = 0; i < 100 && deliveries.body.data.items[0]?.status !== "succeeded"; i++) {
    await new Promise((r) => setTimeout(r, 20));
    deliveries = await member.get(`/api/v1/integrations/webhooks/${subscription._id}/deliveries`);
  }
  expect(deliveries.status).toBe(200);
  expect(deliveries.body.data.pagination).toEqual({ page: 1, limit: 20, total: 1, totalPages: 1 });
  expect(deliveries.body.data.items[0]).toMatchObject({
    _id: request!.headers["x-webhook-delivery-id"],
    eventType: "tags.tag.created",
    status: "succeeded",
    attempts: [{ number: 1, responseStatus: 200, success: true }],
  });
});

test.each([
  ["a URL that is not one", { url: "not a url", events: ["*"] }, "url"],
  ["an unknown event type", { url: "http://127.0.0.1:9/x", events: ["tags.tag.exploded"] }, "events[0]"],
  ["no events", { url: "http://127.0.0.1:9/x", events: [] }, "events"],
])("refuses %s with 422 and the field path", async (_, body, path) => {
  const member = await asMember();
  const response = await member.send("POST", "/api/v1/integrations/webhooks", body);
  expect(response.status).toBe(422);
  expect(response.body).toMatchObject({ success: false, error: { code: "VALIDATION_ERROR", details: { errors: [{ path }] } } });
});

test("the event catalog and samples are served, and integrations:read cannot write", async () => {
  const reader = await asMember(["integrations:read"]);
  const catalog = await reader.get("/api/v1/integrations/events");
  expect(catalog.status).toBe(200);
  expect(catalog.body.data.items).toContainEqual({ type: "tags.tag.created", description: "A tag was created.", service: "tags", message: "velaflows.tags.v1.TagCreatedEvent" });
  const sample = await reader.get("/api/v1/integrations/events/tags.tag.created/sample");
  expect(sample.body.data.items[0]).toMatchObject({ eventType: "tags.tag.created", data: { tag: { _id: "65a1b2c3d4e5f6a7b8c9d0e1" } } });
  const refused = await reader.send("POST", "/api/v1/integrations/webhooks", { url: receiver.url, events: ["*"] });
  expect(refused.status).toBe(403);
});

test("Zapier subscribe and unsubscribe through the REST API", async () => {
  const member = await asMember();
  const subscribed = await member.send("POST", "/api/v1/integrations/zapier/hooks", { targetUrl: receiver.url, event: "tags.tag.deleted" });
  expect(subscribed.status).toBe(201);
  expect(subscribed.body.data.subscription).toMatchObject({ _id: subscribed.body.data.id, source: "zapier", events: ["tags.tag.deleted"] });
  const removed = await member.send("DELETE", `/api/v1/integrations/zapier/hooks/${subscribed.body.data.id}`);
  expect(removed.body).toEqual({ success: true, data: { deleted: true } });
});
