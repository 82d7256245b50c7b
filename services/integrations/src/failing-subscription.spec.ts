import { startWebhookReceiver, type WebhookReceiver } from "@velaflows/testing";
import { eventually, startIntegrationsHarness, type IntegrationsHarness } from "./test-harness";

// 24 hours of failures, at a scale where they last about 4 seconds.
const TIME_SCALE = 0.00005;
let harness: IntegrationsHarness;
let failing: WebhookReceiver;
let watcher: WebhookReceiver;
beforeAll(async () => {
  harness = await startIntegrationsHarness({ WEBHOOK_TIME_SCALE: String(TIME_SCALE) });
  failing = await startWebhookReceiver(() => ({ status: 500 }));
  watcher = await startWebhookReceiver();
});
afterAll(async () => {
  await harness.stop();
  await failing.close();
  await watcher.close();
});

test("a subscription failing for 24 hours is deactivated and integrations.webhook.deactivated is delivered", async () => {
  const client = harness.workspace();
  const { subscription: watching } = await client.createWebhook({ url: watcher.url, events: ["integrations.*"] });
  const { subscription } = await client.createWebhook({ url: failing.url, events: ["tags.*"] });
  const { delivery } = await client.testWebhook({ id: subscription!.id });

  const deactivated = await eventually(
    async () => (await client.getWebhook({ id: subscription!.id })).subscription!,
    (s) => !s.active,
    30_000,
  );
  expect(deactivated).toMatchObject({ active: false, deactivatedReason: "failing" });
  const { items } = await client.listWebhookDeliveries({ id: subscription!.id });
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ id: delivery!.id, status: "failed" });
  const attempts = items[0]!.attempts;
  expect(attempts.length).toBeGreaterThan(5);
  expect(attempts.every((a) => a.responseStatus === 500)).toBe(true);
  // The run of failures lasted at least the (scaled) 24 hours.
  const last = attempts.at(-1)!;
  expect(last.startedAt!.getTime() + last.latencyMs - attempts[0]!.startedAt!.getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000 * TIME_SCALE);

  // Through the outbox and the bus to the workspace's other subscription.
  const [notice] = await watcher.waitFor(1, { filter: (r) => r.json?.eventType === "integrations.webhook.deactivated" });
  expect(notice!.json).toEqual({
    eventId: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
    eventType: "integrations.webhook.deactivated",
    timestamp: expect.any(String),
    workspaceId: client.workspaceId,
    data: { subscriptionId: subscription!.id, url: failing.url, reason: "failing", failingSince: attempts[0]!.startedAt!.toISOString() },
  });
  expect(watching!.active).toBe(true);
});
