import { eventCatalog } from "@velaflows/kit";
import { expectFailure } from "@velaflows/testing";
import { startIntegrationsHarness, type IntegrationsHarness } from "./test-harness";

let harness: IntegrationsHarness;
beforeAll(async () => {
  harness = await startIntegrationsHarness({ WEBHOOK_MAX_SUBSCRIPTIONS: "3" });
});
afterAll(() => harness.stop());

const URL_A = "http://127.0.0.1:9/hooks/a";

describe("CreateWebhook", () => {
  test("creates a subscription with a generated whsec_ secret shown once", async () => {
    const client = harness.workspace(undefined, "6b0a00000000000000000001");
    const { subscription } = await client.createWebhook({ url: URL_A, events: ["tags.tag.created", "tags.*", "*", "tags.*"] });
    expect(subscription).toMatchObject({
      workspaceId: client.workspaceId,
      url: URL_A,
      events: ["*", "tags.*", "tags.tag.created"],
      active: true,
      source: "api",
      deactivatedReason: "",
      createdBy: "6b0a00000000000000000001",
    });
    expect(subscription!.id).toMatch(/^[0-9a-f]{24}$/);
    expect(subscription!.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    const { subscription: fetched } = await client.getWebhook({ id: subscription!.id });
    expect(fetched).toEqual({ ...subscription, secret: "" });
  });

  test("keeps a secret given by the caller", async () => {
    const { subscription } = await harness.workspace().createWebhook({ url: URL_A, events: ["*"], secret: "my-own-secret-0123456789" });
    expect(subscription!.secret).toBe("my-own-secret-0123456789");
  });

  test.each([
    ["an unknown event type", { url: URL_A, events: ["tags.tag.created", "tags.tag.exploded"] }, [{ path: "events[1]", message: expect.stringContaining('unknown event type "tags.tag.exploded"') }]],
    ["a pattern of an unknown service", { url: URL_A, events: ["nope.*"] }, [{ path: "events[0]", message: expect.stringContaining('no service "nope"') }]],
    ["a pattern that is not service.*", { url: URL_A, events: ["tags.tag.*"] }, [{ path: "events[0]", message: 'patterns are "*" or "<service>.*"' }]],
    ["no events", { url: URL_A, events: [] }, [{ path: "events", message: "is required" }]],
    ["a URL that is not one", { url: "not a url", events: ["*"] }, [{ path: "url", message: expect.stringContaining("URL") }]],
    ["an ftp URL", { url: "ftp://example.com/x", events: ["*"] }, [{ path: "url", message: expect.stringContaining("URL") }]],
    ["a short secret", { url: URL_A, events: ["*"], secret: "short" }, [{ path: "secret", message: "must be at least 16 characters" }]],
  ])("refuses %s with the field path", async (_, request, violations) => {
    const failure = await expectFailure(harness.workspace().createWebhook(request));
    expect(failure.code).toBe("INVALID_ARGUMENT");
    expect(failure.violations).toEqual(violations);
  });

  test("refuses more subscriptions than the workspace limit", async () => {
    const client = harness.workspace();
    for (let i = 0; i < 3; i++) await client.createWebhook({ url: `${URL_A}/${i}`, events: ["*"] });
    const failure = await expectFailure(client.createWebhook({ url: URL_A, events: ["*"] }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", reason: "WEBHOOK_LIMIT_REACHED", message: "A workspace can have at most 3 webhook subscriptions" });
    // Another workspace is not affected.
    await harness.workspace().createWebhook({ url: URL_A, events: ["*"] });
  });

  test("publishes integrations.webhook.created through the outbox", async () => {
    const client = harness.workspace();
    const { subscription } = await client.createWebhook({ url: URL_A, events: ["tags.*"] });
    const rows = await harness.sql<{ event_type: string; data: unknown }>(
      `SELECT "event_type", "data" FROM "${harness.schema}"."outbox_events" WHERE "workspace_id" = $1`,
      [client.workspaceId],
    );
    expect(rows).toEqual([{ event_type: "integrations.webhook.created", data: { subscriptionId: subscription!.id, url: URL_A, events: ["tags.*"], source: "api" } }]);
  });
});

describe("ListWebhooks, UpdateWebhook, DeleteWebhook", () => {
  test("lists with the spec's pagination, filters on active", async () => {
    const client = harness.workspace();
    const a = (await client.createWebhook({ url: `${URL_A}/1`, events: ["*"] })).subscription!;
    const b = (await client.createWebhook({ url: `${URL_A}/2`, events: ["*"] })).subscription!;
    await client.updateWebhook({ id: a.id, subscription: { active: false }, updateMask: ["active"] });
    const page = await client.listWebhooks({ limit: 1, sortBy: "url", sortOrder: "asc" });
    expect(page.pagination).toEqual({ page: 1, limit: 1, total: 2, totalPages: 2 });
    expect(page.items.map((s) => s.id)).toEqual([a.id]);
    expect(page.items[0]!.secret).toBe("");
    expect((await client.listWebhooks({ active: "true" })).items.map((s) => s.id)).toEqual([b.id]);
    expect((await client.listWebhooks({ active: "false" })).items.map((s) => s.id)).toEqual([a.id]);
  });

  test("updates url, events and active; checks them like a create", async () => {
    const client = harness.workspace();
    const { subscription } = await client.createWebhook({ url: URL_A, events: ["*"] });
    const { subscription: updated } = await client.updateWebhook({
      id: subscription!.id,
      subscription: { url: "http://127.0.0.1:9/other", events: ["tags.tag.deleted"] },
      updateMask: ["url", "events"],
    });
    expect(updated).toMatchObject({ url: "http://127.0.0.1:9/other", events: ["tags.tag.deleted"], active: true });
    const failure = await expectFailure(client.updateWebhook({ id: subscription!.id, subscription: { events: ["x.y.z"] }, updateMask: ["events"] }));
    expect(failure.violations).toEqual([{ path: "subscription.events[0]", message: expect.stringContaining("unknown event type") }]);
    const badMask = await expectFailure(client.updateWebhook({ id: subscription!.id, subscription: {}, updateMask: ["secret"] }));
    expect(badMask.violations).toEqual([{ path: "updateMask", message: "cannot update secret; updatable: url, events, active" }]);
  });

  test("deletes, then answers NOT_FOUND", async () => {
    const client = harness.workspace();
    const { subscription } = await client.createWebhook({ url: URL_A, events: ["*"] });
    expect(await client.deleteWebhook({ id: subscription!.id })).toEqual({ deleted: true });
    const failure = await expectFailure(client.getWebhook({ id: subscription!.id }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "WebhookSubscription", id: subscription!.id } });
    expect((await expectFailure(client.deleteWebhook({ id: subscription!.id }))).code).toBe("NOT_FOUND");
  });
});

describe("tenant isolation", () => {
  test("another workspace can neither see nor change a subscription", async () => {
    const owner = harness.workspace();
    const other = harness.workspace();
    const { subscription } = await owner.createWebhook({ url: URL_A, events: ["*"] });
    const id = subscription!.id;
    for (const call of [
      () => other.getWebhook({ id }),
      () => other.updateWebhook({ id, subscription: { active: false }, updateMask: ["active"] }),
      () => other.deleteWebhook({ id }),
      () => other.testWebhook({ id }),
      () => other.listWebhookDeliveries({ id }),
      () => other.unsubscribeRestHook({ provider: "zapier", id }),
    ]) {
      expect((await expectFailure(call())).code).toBe("NOT_FOUND");
    }
    expect((await other.listWebhooks({})).items).toEqual([]);
    expect((await owner.getWebhook({ id })).subscription!.active).toBe(true);
  });
});

describe("event catalog and samples", () => {
  test("lists every event type of the protos, filterable by service", async () => {
    const { items } = await harness.workspace().listEventTypes({});
    expect(items).toEqual(eventCatalog());
    expect(items).toContainEqual({ type: "tags.tag.created", description: "A tag was created.", service: "tags", message: "velaflows.tags.v1.TagCreatedEvent" });
    const tags = await harness.workspace().listEventTypes({ service: "tags" });
    expect(tags.items.map((e) => e.type)).toEqual(["tags.tag.attached", "tags.tag.created", "tags.tag.deleted", "tags.tag.detached", "tags.tag.merged", "tags.tag.updated"]);
  });

  test("answers a sample delivery body per event type", async () => {
    const client = harness.workspace();
    const { items } = await client.getEventSample({ eventType: "tags.tag.deleted" });
    expect(items).toEqual([
      {
        eventId: "evt_65a1b2c3d4e5f6a7b8c9d0e1",
        eventType: "tags.tag.deleted",
        timestamp: "2026-03-24T14:30:00.000Z",
        workspaceId: client.workspaceId,
        data: { tagId: "65a1b2c3d4e5f6a7b8c9d0e1", name: "example name", detachedCount: 1 },
      },
    ]);
    expect((await expectFailure(client.getEventSample({ eventType: "nope.no.no" }))).code).toBe("NOT_FOUND");
  });
});

describe("Zapier and Make REST hooks", () => {
  test.each(["zapier", "make"])("%s: subscribe answers the id, unsubscribe deletes", async (provider) => {
    const client = harness.workspace();
    const subscribed = await client.subscribeRestHook({ provider, targetUrl: "http://127.0.0.1:9/zap/1", event: "tags.tag.created" });
    expect(subscribed.id).toMatch(/^[0-9a-f]{24}$/);
    expect(subscribed.subscription).toMatchObject({ id: subscribed.id, source: provider, events: ["tags.tag.created"], secret: "" });
    const unknown = await expectFailure(client.subscribeRestHook({ provider, targetUrl: "http://127.0.0.1:9/zap/1", event: "tags.tag.nope" }));
    expect(unknown.violations).toEqual([{ path: "event[0]", message: expect.stringContaining("unknown event type") }]);
    // The other provider cannot remove it.
    const otherProvider = provider === "zapier" ? "make" : "zapier";
    expect((await expectFailure(client.unsubscribeRestHook({ provider: otherProvider, id: subscribed.id }))).code).toBe("NOT_FOUND");
    expect(await client.unsubscribeRestHook({ provider, id: subscribed.id })).toEqual({ deleted: true });
    expect((await expectFailure(client.getWebhook({ id: subscribed.id }))).code).toBe("NOT_FOUND");
  });
});
