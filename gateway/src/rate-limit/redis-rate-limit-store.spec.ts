import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createLogger } from "@velaflows/kit";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection";
import { describeWithRedis, startUnresponsiveRedis, unreachableRedisUrl } from "../redis/test-redis.fixture";
import { createMemoryRateLimitStore } from "./memory-rate-limit-store";
import { RATE_LIMIT_KEY_PREFIX, createRedisRateLimitStore } from "./redis-rate-limit-store";
import { rateLimitStoreContract } from "./rate-limit-store-contract.fixture";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeWithRedis("createRedisRateLimitStore (real Redis)", (redis) => {
  const connections: RedisConnection[] = [];
  /** A new connection, as another gateway replica would have. */
  async function connect(): Promise<RedisConnection> {
    const connection = createRedisConnection({ url: redis().url, commandTimeoutMs: 5000 });
    connections.push(connection);
    await connection.ready();
    return connection;
  }
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()));
  });

  describe("shared store behaviour", () => {
    rateLimitStoreContract(async () => ({
      store: createRedisRateLimitStore({ connection: await connect() }),
      now: Date.now,
      advance: sleep,
    }));
  });

  test("keeps one counter per key and window under velaflows:rl:, expiring at the window's end", async () => {
    const connection = await connect();
    const store = createRedisRateLimitStore({ connection });
    const key = `general:p:token:${randomUUID()}`;
    const decision = await store.hit(key, 100, 60_000);

    const redisKey = `${RATE_LIMIT_KEY_PREFIX}${key}:60000`;
    expect(await connection.client.get(redisKey)).toBe("1");
    const ttl = await connection.client.pttl(redisKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(Math.abs(Date.now() + ttl - decision.resetAt)).toBeLessThan(1000);
  });

  test("two replicas (two connections) share one budget per key", async () => {
    const replicaA = createRedisRateLimitStore({ connection: await connect() });
    const replicaB = createRedisRateLimitStore({ connection: await connect() });
    const key = `shared-${randomUUID()}`;
    const seen = [];
    for (let i = 0; i < 3; i++) {
      seen.push(await replicaA.hit(key, 4, 3_600_000));
      seen.push(await replicaB.hit(key, 4, 3_600_000));
    }
    expect(seen.map((d) => d.remaining)).toEqual([3, 2, 1, 0, 0, 0]);
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, true, false, false]);
  });

  test("is atomic: 200 concurrent hits from two replicas against a limit of 50 allow exactly 50", async () => {
    const replicas = [createRedisRateLimitStore({ connection: await connect() }), createRedisRateLimitStore({ connection: await connect() })];
    const key = `burst-${randomUUID()}`;
    const windowMs = 3_600_000;
    if (windowMs - (Date.now() % windowMs) < 5000) await sleep(windowMs - (Date.now() % windowMs) + 10);

    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => replicas[i % 2]!.hit(key, 50, windowMs)));

    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(50);
    expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(decisions.map((d) => d.resetAt)).size).toBe(1);
  });

  test("reloads its script after Redis forgot it (SCRIPT FLUSH, as after a restart)", async () => {
    const connection = await connect();
    const store = createRedisRateLimitStore({ connection });
    const key = `flush-${randomUUID()}`;
    await store.hit(key, 5, 3_600_000);
    await connection.client.script("FLUSH");
    expect((await store.hit(key, 5, 3_600_000)).remaining).toBe(3);
  });
});

describe("createRedisRateLimitStore when Redis fails (fails open)", () => {
  function capturedLogger() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    return { logger: createLogger({ service: "gateway-test", destination }), lines };
  }

  async function unreachable(): Promise<RedisConnection> {
    return createRedisConnection({ url: await unreachableRedisUrl() });
  }

  test("allows the request, reports every failure and logs the first", async () => {
    const connection = await unreachable();
    const failures: string[] = [];
    const { logger, lines } = capturedLogger();
    const store = createRedisRateLimitStore({ connection, logger, onError: (_, operation) => failures.push(operation) });
    try {
      const decisions = [await store.hit("k", 1, 60_000), await store.hit("k", 1, 60_000)];
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 1],
        [true, 1],
      ]);
      expect(decisions[0]!.resetAt % 60_000).toBe(0);
      expect(failures).toEqual(["rate_limit.hit", "rate_limit.hit"]);
      const storeLines = lines.filter((line) => line.component === "rate-limit");
      expect(storeLines).toHaveLength(1);
      expect(storeLines[0]).toMatchObject({ level: "warn", operation: "rate_limit.hit" });
    } finally {
      await connection.close();
    }
  });

  test("counts against the fallback store, so each replica still enforces the budget", async () => {
    const connection = await unreachable();
    const store = createRedisRateLimitStore({ connection, fallback: createMemoryRateLimitStore() });
    try {
      const decisions = [await store.hit("k", 1, 60_000), await store.hit("k", 1, 60_000)];
      expect(decisions.map((d) => d.allowed)).toEqual([true, false]);
    } finally {
      await store.close();
      await connection.close();
    }
  });

  test("gives up after the command timeout when Redis stops answering", async () => {
    const fake = await startUnresponsiveRedis();
    const connection = createRedisConnection({ url: fake.url, commandTimeoutMs: 100 });
    const failures: Error[] = [];
    try {
      await connection.ready();
      const store = createRedisRateLimitStore({ connection, onError: (error) => failures.push(error) });
      const started = Date.now();
      const decision = await store.hit("k", 1, 60_000);
      expect(decision.allowed).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/timed out/i)]);
    } finally {
      await connection.close();
      await fake.stop();
    }
  });
});
