import { Registry } from "prom-client";
import { createDataSource } from "../database/data-source";
import { dropSchema, uniqueSchema } from "../database/notes.fixture";
import { registerPoolMetrics } from "./pool-metrics";
import { createServiceMetrics } from "./service-metrics";

/** The samples of the pool gauges, as "name{labels} value" lines. */
async function poolSamples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split("\n").filter((l) => /^db_client_connection_(count|pending_requests)\{/.test(l));
}

describe("registerPoolMetrics", () => {
  const schema = uniqueSchema();
  const url = process.env.DATABASE_URL!;
  const a = createDataSource({ url, schema, entities: [], migrations: [], poolSize: 1 });
  const b = createDataSource({ url, schema, entities: [], migrations: [], poolSize: 3 });
  afterAll(() => dropSchema(schema, a, b));

  test("reads idle, used and pending connections of the pg Pool at scrape time, one registry per service", async () => {
    const first = createServiceMetrics("first");
    const second = createServiceMetrics("second");
    registerPoolMetrics(first.registry, a, "first");
    registerPoolMetrics(second.registry, b, "second");
    expect(await poolSamples(first.registry)).toEqual([]); // not initialised: nothing to report

    await a.initialize();
    await b.initialize();
    await a.query("SELECT 1");
    expect(await poolSamples(first.registry)).toEqual([
      'db_client_connection_count{db_client_connection_pool_name="first",db_client_connection_state="idle",service="first"} 1',
      'db_client_connection_count{db_client_connection_pool_name="first",db_client_connection_state="used",service="first"} 0',
      'db_client_connection_pending_requests{db_client_connection_pool_name="first",service="first"} 0',
    ]);

    // Hold the only connection, and queue one more query behind it.
    const runner = a.createQueryRunner();
    await runner.connect();
    const waiting = a.query("SELECT 1");
    await new Promise((r) => setTimeout(r, 20));
    expect(await poolSamples(first.registry)).toEqual([
      'db_client_connection_count{db_client_connection_pool_name="first",db_client_connection_state="idle",service="first"} 0',
      'db_client_connection_count{db_client_connection_pool_name="first",db_client_connection_state="used",service="first"} 1',
      'db_client_connection_pending_requests{db_client_connection_pool_name="first",service="first"} 1',
    ]);
    // The other service's pool, in the same process, is reported on its own registry only.
    expect((await poolSamples(second.registry)).every((l) => l.includes('pool_name="second"') && l.includes('service="second"'))).toBe(true);

    await runner.release();
    await waiting;
    expect(await poolSamples(first.registry)).toContain('db_client_connection_pending_requests{db_client_connection_pool_name="first",service="first"} 0');
  });

  test("refuses a second pool on the same registry", () => {
    const metrics = createServiceMetrics("twice");
    registerPoolMetrics(metrics.registry, a, "twice");
    expect(() => registerPoolMetrics(metrics.registry, b, "twice")).toThrow(/already reports a pool/);
  });
});
