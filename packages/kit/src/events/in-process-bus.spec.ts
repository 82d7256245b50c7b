import { topicMatches, type EventEnvelope } from "./event-bus";
import { createInProcessBus, sharedInProcessBus } from "./in-process-bus";

describe("topicMatches (RabbitMQ topic semantics)", () => {
  test.each([
    ["tags.tag.created", "tags.tag.created", true],
    ["tags.tag.created", "tags.tag.updated", false],
    ["tags.*.created", "tags.tag.created", true],
    ["tags.*", "tags.tag.created", false],
    ["tags.#", "tags.tag.created", true],
    ["tags.#", "tags", true],
    ["tags.#", "inbox.conversation.created", false],
    ["#", "tags.tag.created", true],
    ["*.tag.*", "tags.tag.deleted", true],
    ["*.*.created", "inbox.conversation.created", true],
    ["#.created", "inbox.conversation.created", true],
    ["#.created", "created", true],
    ["tags.#.created", "tags.created", true],
    ["tags.#.created", "tags.a.b.created", true],
    ["tags.#.created", "tags.a.b.deleted", false],
    ["*", "tags.tag", false],
    ["tags.tag", "tags.tag.created", false],
  ])("%s ~ %s → %s", (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});

let n = 0;
const envelope = (eventType: string): EventEnvelope => ({
  eventId: `evt_${(++n).toString(16).padStart(24, "0")}`,
  eventType,
  timestamp: new Date().toISOString(),
  workspaceId: "0".repeat(24),
  data: { n },
});
const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("createInProcessBus", () => {
  test("each queue gets the matching events, asynchronously; competing subscriptions share a queue", async () => {
    const bus = createInProcessBus();
    const got: Record<string, string[]> = { a: [], b1: [], b2: [] };
    await bus.subscribe("a", ["tags.#"], async (e) => void got.a!.push(e.eventType));
    await bus.subscribe("b", ["*.tag.created"], async (e) => void got.b1!.push(e.eventId));
    await bus.subscribe("b", ["*.tag.created"], async (e) => void got.b2!.push(e.eventId));
    await bus.publish(envelope("tags.tag.created"));
    expect(got.a).toEqual([]); // not delivered synchronously
    await bus.publish(envelope("tags.tag.deleted"));
    await bus.publish(envelope("tags.tag.created"));
    await bus.publish(envelope("inbox.conversation.created"));
    await until(() => got.a!.length === 3 && got.b1!.length + got.b2!.length === 2);
    expect(got.a).toEqual(["tags.tag.created", "tags.tag.deleted", "tags.tag.created"]);
    expect(got.b1).toHaveLength(1);
    expect(got.b2).toHaveLength(1);
    await bus.close();
  });

  test("a failing handler is retried with backoff, then dead-lettered after the last attempt", async () => {
    const bus = createInProcessBus();
    const times: number[] = [];
    const deadLettered: string[] = [];
    await bus.subscribe("flaky", ["x.#"], async (_, info) => {
      times.push(Date.now());
      if (info.attempt < 3) throw new Error("not yet");
    }, { retry: { maxAttempts: 4, baseDelayMs: 40 } });
    await bus.subscribe("broken", ["x.#"], async () => {
      throw new Error("always");
    }, { retry: { maxAttempts: 3, baseDelayMs: 10 }, onDeadLetter: (e) => deadLettered.push(e!.eventId) });
    const event = envelope("x.y.z");
    await bus.publish(event);
    await until(() => times.length === 3 && deadLettered.length === 1);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(35);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(75);
    expect(deadLettered).toEqual([event.eventId]);
    expect(bus.deadLetters("broken")).toEqual([expect.objectContaining({ envelope: event, attempts: 3 })]);
    expect(bus.deadLetters("flaky")).toEqual([]);
    await bus.close();
  });

  test("events wait in a queue with no subscription until one comes", async () => {
    const bus = createInProcessBus();
    const sub = await bus.subscribe("q", ["a.b"], async () => undefined);
    await sub.close();
    await bus.publish(envelope("a.b"));
    const got: string[] = [];
    await bus.subscribe("q", ["a.b"], async (e) => void got.push(e.eventType));
    await until(() => got.length === 1);
    await bus.close();
  });

  test("broadcast: every subscription gets its own copy, besides the competing queue consumers; a failure is reported, not retried", async () => {
    const bus = createInProcessBus();
    const got: string[] = [];
    const failures: unknown[] = [];
    await bus.subscribeBroadcast("cache", ["props.#"], (e, info) => void got.push(`a:${info.queue}:${(e.data as { n: number }).n}`));
    const second = await bus.subscribeBroadcast("cache", ["props.#"], (e) => void got.push(`b:${(e.data as { n: number }).n}`));
    await bus.subscribeBroadcast("fragile", ["props.#"], () => Promise.reject(new Error("boom")), { onFailure: (_, error) => failures.push(error) });
    const queue: string[] = [];
    await bus.subscribe("q", ["props.#"], async () => void queue.push("one"));
    await bus.subscribe("q", ["props.#"], async () => void queue.push("two"));
    const first = envelope("props.property.updated");
    await bus.publish(first);
    await until(() => got.length === 2 && queue.length === 1 && failures.length === 1);
    const n = (first.data as { n: number }).n;
    expect(got.sort()).toEqual([`a:cache:${n}`, `b:${n}`]);
    await second.close();
    await bus.publish(envelope("props.property.deleted"));
    await bus.publish(envelope("other.thing"));
    await until(() => got.length === 3 && failures.length === 2);
    expect(got[2]).toBe(`a:cache:${n + 1}`);
    await bus.close();
  });

  test("refuses a malformed envelope; the shared bus survives close()", async () => {
    const bus = createInProcessBus();
    await expect(bus.publish({ ...envelope("a.b"), eventId: "nope" })).rejects.toThrow("not an event envelope");
    const shared = sharedInProcessBus();
    await shared.close();
    await expect(sharedInProcessBus().publish(envelope("nobody.listens"))).resolves.toBeUndefined();
    await bus.close();
  });
});
