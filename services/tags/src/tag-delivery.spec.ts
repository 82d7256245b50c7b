import { randomBytes } from "node:crypto";
import { createEventBus, createServiceClient, loadEventBusConfig, type EventBus, type EventEnvelope, type RunningService, type Subscription } from "@velaflows/kit";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { newWorkspaceId, startTestService, workspaceMetadata } from "@velaflows/testing";
import { main } from "./main";

// Tags relays its outbox to the event bus: RabbitMQ with AMQP_URL (as in CI's first pass), else the
// in-process bus (the Tags relays of other jest workers leave this process's rows alone).
const schema = randomBytes(4).toString("hex");
let service: RunningService;
let bus: EventBus;
let subscription: Subscription;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  bus = createEventBus(loadEventBusConfig(process.env));
  subscription = await bus.subscribe(`spec.tags-delivery.${schema}`, ["tags.tag.*"], async (e) => void received.push(e));
  service = await startTestService("tags", main);
});
afterAll(async () => {
  await service?.stop();
  await subscription?.close();
  await bus?.close();
});

test("creating a tag delivers tags.tag.created to a subscriber", async () => {
  const { call, close } = createServiceClient(tagsProto.TagsServiceClient, service.grpcAddress);
  const workspaceId = newWorkspaceId();
  try {
    const { tag } = await call.createTag(tagsProto.CreateTagRequest.fromPartial({ name: "VIP" }), { metadata: workspaceMetadata(workspaceId) } as never);
    const end = Date.now() + 10_000;
    while (!received.some((e) => e.workspaceId === workspaceId) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const event = received.find((e) => e.workspaceId === workspaceId);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
      eventType: "tags.tag.created",
      timestamp: expect.any(String),
      workspaceId,
      data: { tag: expect.objectContaining({ _id: tag!.id, name: "VIP" }) },
    });
  } finally {
    close();
  }
});
