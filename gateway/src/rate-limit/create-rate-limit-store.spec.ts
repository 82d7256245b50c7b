import { randomUUID } from "node:crypto";
import { createRedisConnection } from "../redis/redis-connection";
import { describeWithRedis } from "../redis/test-redis.fixture";
import { createRateLimitStore } from "./create-rate-limit-store";

describe("createRateLimitStore without Redis", () => {
  test("gives a memory store: each instance has budgets of its own", async () => {
    const first = createRateLimitStore();
    const second = createRateLimitStore();
    await first.hit("k", 1, 60_000);
    expect((await first.hit("k", 1, 60_000)).allowed).toBe(false);
    expect((await second.hit("k", 1, 60_000)).allowed).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });
});

describeWithRedis("createRateLimitStore with Redis", (redis) => {
  test("with a redisUrl, instances share one budget, and close() closes the connection it opened", async () => {
    const first = createRateLimitStore({ redisUrl: redis().url });
    const second = createRateLimitStore({ redisUrl: redis().url });
    // The connections open in the background, and until they are ready each store counts on its
    // memory fallback; so try fresh keys until both have connected.
    let shared = false;
    for (const deadline = Date.now() + 5000; !shared && Date.now() < deadline; ) {
      const key = `factory-${randomUUID()}`;
      await first.hit(key, 1, 3_600_000);
      shared = !(await second.hit(key, 1, 3_600_000)).allowed;
      if (!shared) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(shared).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });

  test("with a shared connection, closing the store leaves the connection open", async () => {
    const connection = createRedisConnection({ url: redis().url });
    await connection.ready();
    const store = createRateLimitStore({ redis: connection });
    await store.hit(`shared-${randomUUID()}`, 5, 60_000);
    await store.close();
    expect(connection.client.status).toBe("ready");
    expect(await connection.client.ping()).toBe("PONG");
    await connection.close();
    expect(connection.client.status).toBe("end");
  });
});
