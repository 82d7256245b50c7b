import { createHmac, timingSafeEqual } from "node:crypto";
import { createEventBus, loadEventBusConfig, newObjectId, type EventBus, type EventEnvelope } from "@velaflows/kit";
import type { WebhookDelivery } from "@velaflows/proto/ts/velaflows/integrations/v1/integrations";
import { expectFailure, startWebhookReceiver, type WebhookReceiver } from "@velaflows/testing";
import { backoffMs } from "./domain/retry-schedule";
import { eventually, startIntegrationsHarness, TEST_TIME_SCALE, type IntegrationsClient, type IntegrationsHarness } from "./test-harness";

// Deliveries over real HTTP to receivers on 127.0.0.1, at WEBHOOK_TIME_SCALE=0.05.
const TIMEOUT_MS = 1500;
let harness: IntegrationsHarness;
let bus: EventBus;
const receivers: WebhookReceiver[] = [];
beforeAll(async () => {
  harness = await startIntegrationsHarness({ WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS) });
  bus = createEventBus(loadEventBusConfig(process.env));
});
afterAll(async () => {
  await harness.stop();
  await bus.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(answer?: Parameters<typeof startWebhookReceiver>[0]): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

function isValidSignature(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = "sha256=" + createHmac("sha256", secret).update(rawBody).digest("hex");
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

async function deliveriesOf(client: IntegrationsClient, subscriptionId: string): Promise<WebhookDelivery[]> {
  return (await client.listWebhookDeliveries({ id: subscriptionId, limit: 100 })).items;
}

function settled(deliveries: WebhookDelivery[], count = 1): boolean {
  return deliveries.length >= count && deliveries.every((d) => d.status !== "pending");
}

function envelope(workspaceId: string, eventType: string, data: unknown): EventEnvelope {
  return { eventId: `evt_${newObjectId()}`, eventType, timestamp: new Date().toISOString(), workspaceId, data };
}

test("a ping is POSTed as JSON with the documented headers and a valid signature", async () => {
  const target = await receiver();
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["tags.tag.created"] });
  const { delivery } = await client.testWebhook({ id: subscription!.id });
  expect(delivery).toMatchObject({ status: "pending", eventType: "integrations.webhook.ping", subscriptionId: subscription!.id, attempts: [] });

  const [request] = await target.waitFor(1);
  expect(request!.method).toBe("POST");
  expect(request!.headers).toMatchObject({
    "content-type": "application/json",
    "user-agent": "VelaFlows-Webhook/1.0",
    "x-webhook-event": "integrations.webhook.ping",
    "x-webhook-delivery-id": delivery!.id,
  });
  expect(isValidSignature(request!.rawBody, request!.headers["x-webhook-signature"] as string, subscription!.secret)).toBe(true);
  expect(isValidSignature(request!.rawBody, request!.headers["x-webhook-signature"] as string, "whsec_another")).toBe(false);
  expect(request!.json).toEqual({
    eventId: delivery!.eventId,
    eventType: "integrations.webhook.ping",
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    workspaceId: client.workspaceId,
    data: { subscriptionId: subscription!.id, message: "ping" },
  });

  const [done] = await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d));
  expect(done).toMatchObject({ status: "succeeded", attempts: [{ number: 1, responseStatus: 200, error: "", success: true }] });
  expect(done!.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  expect(done!.nextAttemptAt).toBeUndefined();
});

test("events from the bus go to the matching active subscriptions of their workspace only", async () => {
  const target = await receiver();
  const client = harness.workspace();
  const other = harness.workspace();
  const all = (await client.createWebhook({ url: `${target.url}/all`, events: ["*"] })).subscription!;
  const tags = (await client.createWebhook({ url: `${target.url}/tags`, events: ["tags.*"] })).subscription!;
  const deleted = (await client.createWebhook({ url: `${target.url}/deleted`, events: ["tags.tag.deleted"] })).subscription!;
  const paused = (await client.createWebhook({ url: `${target.url}/paused`, events: ["tags.*"] })).subscription!;
  await client.updateWebhook({ id: paused.id, subscription: { active: false }, updateMask: ["active"] });
  const foreign = (await other.createWebhook({ url: `${target.url}/foreign`, events: ["*"] })).subscription!;

  const event = envelope(client.workspaceId, "tags.tag.created", { tag: { _id: newObjectId(), name: "VIP" } });
  await bus.publish(event);
  await bus.publish(event); // a duplicate (at-least-once bus): delivered once
  await eventually(() => deliveriesOf(client, tags.id), (d) => settled(d));
  await eventually(() => deliveriesOf(client, all.id), (d) => settled(d));

  const forEvent = (r: { json: any }) => r.json?.eventId === event.eventId;
  const paths = (await target.waitFor(2, { filter: forEvent })).map((r) => r.path).sort();
  expect(paths).toEqual(["/hooks/all", "/hooks/tags"]);
  expect(target.requests.find(forEvent)!.json).toEqual(event);
  expect(await deliveriesOf(client, deleted.id)).toEqual([]);
  expect(await deliveriesOf(client, paused.id)).toEqual([]);
  expect(await deliveriesOf(other, foreign.id)).toEqual([]);
  // "*" also takes the creation events of the workspace's other subscriptions (not its own).
  const toAll = await eventually(() => deliveriesOf(client, all.id), (d) => settled(d, 4));
  expect(toAll.map((d) => d.eventType).sort()).toEqual([
    "integrations.webhook.created",
    "integrations.webhook.created",
    "integrations.webhook.created",
    "tags.tag.created",
  ]);
});

test("a receiver answering 500 three times then 200 gets 4 attempts at +1, +2, +4 s (scaled)", async () => {
  const target = await receiver((_, index) => ({ status: index < 3 ? 500 : 200 }));
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await client.testWebhook({ id: subscription!.id });
  const [delivery] = await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d), 30_000);

  expect(delivery!.status).toBe("succeeded");
  expect(delivery!.attempts.map((a) => [a.number, a.responseStatus, a.success, a.error])).toEqual([
    [1, 500, false, "HTTP 500"],
    [2, 500, false, "HTTP 500"],
    [3, 500, false, "HTTP 500"],
    [4, 200, true, ""],
  ]);
  // Each retry was due exactly the documented backoff after the previous failure, and did not
  // start before it was due.
  const attempts = delivery!.attempts;
  for (let i = 1; i < attempts.length; i++) {
    const failedAt = attempts[i - 1]!.startedAt!.getTime() + attempts[i - 1]!.latencyMs;
    expect(attempts[i]!.scheduledAt!.getTime() - failedAt).toBe(backoffMs(i) * TEST_TIME_SCALE);
    expect(attempts[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(attempts[i]!.scheduledAt!.getTime());
  }
  expect([1, 2, 3].map(backoffMs)).toEqual([1000, 2000, 4000]);
  const ids = new Set(target.requests.map((r) => r.headers["x-webhook-delivery-id"]));
  expect(ids).toEqual(new Set([delivery!.id]));
  expect(target.requests).toHaveLength(4);
  expect((await client.getWebhook({ id: subscription!.id })).subscription).toMatchObject({ active: true, failingSince: undefined });
});

test("410 Gone deactivates the subscription at once, without retries, and says so", async () => {
  const target = await receiver(() => ({ status: 410 }));
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await client.testWebhook({ id: subscription!.id });
  const [delivery] = await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d));
  expect(delivery).toMatchObject({ status: "failed", attempts: [{ number: 1, responseStatus: 410, success: false }] });
  expect((await client.getWebhook({ id: subscription!.id })).subscription).toMatchObject({ active: false, deactivatedReason: "gone" });
  const events = await harness.sql<{ data: unknown }>(
    `SELECT "data" FROM "${harness.schema}"."outbox_events" WHERE "workspace_id" = $1 AND "event_type" = 'integrations.webhook.deactivated'`,
    [client.workspaceId],
  );
  expect(events).toEqual([{ data: { subscriptionId: subscription!.id, url: target.url, reason: "gone" } }]);
  // An inactive subscription takes no test and no redelivery until it is activated again.
  expect(await expectFailure(client.testWebhook({ id: subscription!.id }))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "WEBHOOK_INACTIVE" });
  expect((await expectFailure(client.redeliverDelivery({ id: delivery!.id }))).code).toBe("FAILED_PRECONDITION");
  const { subscription: again } = await client.updateWebhook({ id: subscription!.id, subscription: { active: true }, updateMask: ["active"] });
  expect(again).toMatchObject({ active: true, deactivatedReason: "" });
  expect(target.requests).toHaveLength(1);
});

test("redirects are not followed and count as failures", async () => {
  const target = await receiver((_, index) => (index === 0 ? { status: 302, headers: { location: "http://127.0.0.1:9/elsewhere" } } : { status: 204 }));
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await client.testWebhook({ id: subscription!.id });
  const [delivery] = await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d));
  expect(delivery!.attempts.map((a) => [a.responseStatus, a.error])).toEqual([
    [302, "HTTP 302: redirect not followed"],
    [204, ""],
  ]);
  expect(target.requests.map((r) => r.path)).toEqual(["/hooks", "/hooks"]);
});

test("a slow receiver times out and is retried", async () => {
  const target = await receiver((_, index) => ({ status: 200, delayMs: index === 0 ? TIMEOUT_MS * 3 : 0 }));
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await client.testWebhook({ id: subscription!.id });
  const [delivery] = await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d));
  expect(delivery!.status).toBe("succeeded");
  expect(delivery!.attempts.map((a) => [a.responseStatus, a.error, a.success])).toEqual([
    [0, `timeout after ${TIMEOUT_MS} ms`, false],
    [200, "", true],
  ]);
  expect(delivery!.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
});

test("redeliver sends the same event again as a new delivery", async () => {
  const target = await receiver();
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  const { delivery: first } = await client.testWebhook({ id: subscription!.id });
  await eventually(() => deliveriesOf(client, subscription!.id), (d) => settled(d));
  const { delivery: second } = await client.redeliverDelivery({ id: first!.id });
  expect(second).toMatchObject({ eventId: first!.eventId, status: "pending", subscriptionId: subscription!.id });
  expect(second!.id).not.toBe(first!.id);
  const requests = await target.waitFor(2);
  expect(requests[1]!.rawBody.equals(requests[0]!.rawBody)).toBe(true);
  expect(requests.map((r) => r.headers["x-webhook-delivery-id"])).toEqual([first!.id, second!.id]);
  expect((await expectFailure(harness.workspace().redeliverDelivery({ id: first!.id }))).code).toBe("NOT_FOUND");
});

test("deliveries survive a restart of the service", async () => {
  let up = false;
  const target = await receiver(() => ({ status: up ? 200 : 503 }));
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await client.testWebhook({ id: subscription!.id });
  await target.waitFor(1);
  await harness.stopService();
  const [row] = await harness.sql<{ status: string; attempts: unknown[] }>(
    `SELECT "status", "attempts" FROM "${harness.schema}"."webhook_deliveries" WHERE "subscription_id" = $1`,
    [subscription!.id],
  );
  expect(row!.status).toBe("pending");
  const before = target.requests.length;
  up = true;
  await harness.restart();
  const [delivery] = await eventually(() => deliveriesOf(harness.workspace(client.workspaceId), subscription!.id), (d) => settled(d));
  expect(delivery!.status).toBe("succeeded");
  expect(target.requests.length).toBe(before + 1);
  expect(delivery!.attempts.slice(0, -1).every((a) => a.responseStatus === 503)).toBe(true);
  expect(delivery!.attempts.length).toBe(before + 1);
});

test("delivery-time guard: a loopback target is refused once private targets are no longer allowed", async () => {
  const target = await receiver();
  const client = harness.workspace();
  const { subscription } = await client.createWebhook({ url: target.url, events: ["*"] });
  await harness.restart({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "false" });
  try {
    const refused = await expectFailure(harness.workspace().createWebhook({ url: target.url, events: ["*"] }));
    expect(refused.violations).toEqual([{ path: "url", message: "must not point to a private, loopback, link-local or metadata address" }]);
    await harness.workspace(client.workspaceId).testWebhook({ id: subscription!.id });
    const [delivery] = await eventually(() => deliveriesOf(harness.workspace(client.workspaceId), subscription!.id), (d) => settled(d));
    expect(delivery).toMatchObject({ status: "failed", attempts: [{ number: 1, responseStatus: 0, success: false }] });
    expect(delivery!.attempts[0]!.error).toMatch(/^target refused/);
    expect(target.requests).toHaveLength(0);
  } finally {
    await harness.restart({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
  }
});
