import { createServer } from "node:net";
import { createRedisConnection } from "./redis-connection";
import { describeWithRedis } from "./test-redis";

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("createRedisConnection without a server", () => {
  test("ready() rejects after its timeout, commands fail at once, close() stops reconnecting", async () => {
    const connection = createRedisConnection({ url: `redis://127.0.0.1:${await unusedPort()}` });
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
