import { randomUUID } from "node:crypto";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError } from "@velaflows/kit";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection";
import { describeWithRedis, unreachableRedisUrl } from "../redis/test-redis.fixture";
import { idempotencyStoreContract } from "./idempotency-store-contract.fixture";
import { IDEMPOTENCY_KEY_PREFIX, createRedisIdempotencyStore } from "./redis-idempotency-store";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const RESPONSE = { status: 201, headers: { "content-type": "application/json" }, body: '{"success":true}' };

describeWithRedis("createRedisIdempotencyStore (real Redis)", (redis) => {
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
    idempotencyStoreContract(async () => ({ store: createRedisIdempotencyStore({ connection: await connect() }), advance: sleep }));
  });

  test("keeps each key under velaflows:idem: with the claim TTL, then the completion TTL", async () => {
    const connection = await connect();
    const store = createRedisIdempotencyStore({ connection });
    const key = randomUUID();
    const redisKey = `${IDEMPOTENCY_KEY_PREFIX}${key}`;

    await store.claim(key, "fp", 60_000);
    expect(await connection.client.hgetall(redisKey)).toEqual({ f: "fp", s: "in_flight" });
    expect(await connection.client.pttl(redisKey)).toBeGreaterThan(55_000);

    await store.complete(key, "fp", RESPONSE, 86_400_000);
    expect(await connection.client.hget(redisKey, "s")).toBe("completed");
    expect(await connection.client.pttl(redisKey)).toBeGreaterThan(86_000_000);
  });

  test("replicas (two connections) see each other's claims and responses", async () => {
    const replicaA = createRedisIdempotencyStore({ connection: await connect() });
    const replicaB = createRedisIdempotencyStore({ connection: await connect() });
    const key = randomUUID();
    expect(await replicaA.claim(key, "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await replicaB.claim(key, "fp", 60_000)).toEqual({ state: "in_flight" });
    await replicaA.complete(key, "fp", RESPONSE, 60_000);
    expect(await replicaB.claim(key, "fp", 60_000)).toEqual({ state: "completed", response: RESPONSE });
  });

  test("of 100 concurrent claims from two replicas exactly one wins", async () => {
    const replicas = [createRedisIdempotencyStore({ connection: await connect() }), createRedisIdempotencyStore({ connection: await connect() })];
    const key = randomUUID();
    const claims = await Promise.all(Array.from({ length: 100 }, (_, i) => replicas[i % 2]!.claim(key, "fp", 60_000)));
    expect(claims.filter((c) => c.state === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.state === "in_flight")).toHaveLength(99);
  });
});

describe("createRedisIdempotencyStore when Redis fails", () => {

  test("claim fails closed with UNAVAILABLE; complete and release report but do not throw", async () => {
    const connection = createRedisConnection({ url: await unreachableRedisUrl() });
    const failures: string[] = [];
    const store = createRedisIdempotencyStore({ connection, onError: (_, operation) => failures.push(operation) });
    try {
      const error: unknown = await store.claim("k", "fp", 60_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe(GrpcStatus.UNAVAILABLE);
      await expect(store.complete("k", "fp", RESPONSE, 60_000)).resolves.toBeUndefined();
      await expect(store.release("k")).resolves.toBeUndefined();
      expect(failures).toEqual(["idempotency.claim", "idempotency.complete", "idempotency.release"]);
    } finally {
      await connection.close();
    }
  });
});
