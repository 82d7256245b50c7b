import { randomUUID } from "node:crypto";
import { createRedisConnection } from "../redis/redis-connection";
import { describeWithRedis } from "../redis/test-redis.fixture";
import { createIdempotencyStore } from "./create-idempotency-store";

describe("createIdempotencyStore without Redis", () => {
  test("gives a memory store: each instance has keys of its own", async () => {
    const first = createIdempotencyStore();
    const second = createIdempotencyStore();
    await first.claim("k", "fp", 60_000);
    expect(await second.claim("k", "fp", 60_000)).toEqual({ state: "claimed" });
    await Promise.all([first.close(), second.close()]);
  });
});

describeWithRedis("createIdempotencyStore with Redis", (redis) => {
  test("with a redisUrl, instances share keys, and close() closes the connection it opened", async () => {
    const first = createIdempotencyStore({ redisUrl: redis().url });
    const second = createIdempotencyStore({ redisUrl: redis().url });
    const key = randomUUID();
    // The connection opens in the background; until it is ready a claim fails closed (503).
    const claim = async (store: typeof first) => {
      for (const deadline = Date.now() + 5000; ; ) {
        try {
          return await store.claim(key, "fp", 60_000);
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    expect(await claim(first)).toEqual({ state: "claimed" });
    expect(await claim(second)).toEqual({ state: "in_flight" });
    await Promise.all([first.close(), second.close()]);
  });

  test("one connection serves both stores; closing a store leaves it open", async () => {
    const connection = createRedisConnection({ url: redis().url });
    await connection.ready();
    const store = createIdempotencyStore({ redis: connection });
    expect(await store.claim(randomUUID(), "fp", 60_000)).toEqual({ state: "claimed" });
    await store.close();
    expect(await connection.client.ping()).toBe("PONG");
    await connection.close();
  });
});
