import { createRedisConnection } from "./redis-connection";
import { describeWithRedis, unreachableRedisUrl } from "./test-redis.fixture";

describe("createRedisConnection without a server", () => {
  test("ready() rejects after its timeout, commands fail at once, close() stops reconnecting", async () => {
    const connection = createRedisConnection({ url: await unreachableRedisUrl() });
    await expect(connection.ready(200)).rejects.toThrow(/not ready within 200 ms/);
    const started = Date.now();
    await expect(connection.client.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(100);
    const errors: unknown[] = [];
    connection.client.on("error", (error) => errors.push(error));
    await connection.close();
    await new Promise((resolve) => setTimeout(resolve, 500)); // longer than the reconnect delays so far
    expect(errors).toEqual([]);
    expect(connection.client.status).not.toBe("ready");
  });
});

describeWithRedis("createRedisConnection", (redis) => {
  test("connects, names itself, and closes cleanly", async () => {
    const connection = createRedisConnection({ url: redis().url, name: "velaflows-gateway-test" });
    await connection.ready();
    await connection.ready(); // already ready: resolves at once
    expect(await connection.client.client("GETNAME")).toBe("velaflows-gateway-test");
    await connection.close();
    expect(connection.client.status).toBe("end");
    await connection.close(); // closing twice is harmless
  });
});
