import { startEverythingService } from "./testing/everything-service.fixture";
import { describeWithRedis } from "./redis/test-redis.fixture";
import { main, type RunningGateway } from "./main";
import type { RunningService } from "@velaflows/kit";

// Two gateway replicas on one Redis share one budget per caller and one set of idempotency keys.
describeWithRedis("gateway replicas on one Redis", (redis) => {
  let testing: RunningService;
  const replicas: RunningGateway[] = [];
  beforeAll(async () => {
    testing = (await startEverythingService()).service;
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await main({
          HOST: "127.0.0.1",
          GATEWAY_PORT: "0",
          GATEWAY_GRPC_PORT: "0",
          LOG_LEVEL: "silent",
          TESTING_ADDR: testing.grpcAddress,
          REDIS_URL: redis().url,
          TRUST_PROXY: "true",
          // A window of an hour, so the budget cannot reset in the middle of the test.
          RATE_LIMIT_AUTH: "3/1h",
        }),
      );
    }
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
    await testing.stop();
  });

  test("the auth budget is shared: the fourth sign-in is refused, whichever replica gets it", async () => {
    // A fresh client network per run (budgets are per IPv6 /64) keeps this budget apart from other
    // runs on a shared Redis.
    const hextet = () => Math.floor(Math.random() * 0x10000).toString(16);
    const forwardedFor = `2001:db8:${hextet()}:${hextet()}::1`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const replica = replicas[i % 2]!;
      const response = await fetch(`${replica.url}/api/v1/testing/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: "{}",
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
