import { randomBytes } from "node:crypto";
import { createEventBus, createServiceClient, loadEventBusConfig, type EventBus, type EventEnvelope, type RunningService, type Subscription } from "@velaflows/kit";
import * as tagsProto from "@velaflows/proto/ts/velaflows/tags/v1/tags";
import { newWorkspaceId, startTestService, workspaceMetadata } from "@velaflows/testing";
import { main } from "./main";

// Tags relays its outbox to the event bus. Through RabbitMQ (AMQP_URL, as in CI) only: with the
// in-process bus, the Tags relays of other spec files in other jest workers share the "tags"
// schema and could publish this file's event in their own process, out of this subscriber's sight.
const schema = randomBytes(4).toString("hex");
const withRabbit = process.env.AMQP_URL ? test : test.skip;
if (!process.env.AMQP_URL) process.stderr.write("Skipping the Tags delivery test: it needs AMQP_URL (RabbitMQ)\n");
let service: RunningService;
let bus: EventBus;
let subscription: Subscription;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  if (!process.env.AMQP_URL) return;
  bus = createEventBus(loadEventBusConfig(process.env));
  subscription = await bus.subscribe(`spec.tags-delivery.${schema}`, ["tags.tag.*"], async (e) => void received.push(e));
  service = await startTestService("tags", main);
});
afterAll(async () => {
  await service?.stop();
  await subscription?.close();
  await bus?.close();
});

withRabbit("creating a tag delivers tags.tag.created to a subscriber", async () => {
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
