import { createEnvReader, DEFAULT_LIMIT, MAX_LIMIT } from "@velaflows/kit";

/** The knobs of the ListTags benchmark, all optional environment variables. */
export interface BenchConfig {
  /** `DATABASE_URL`: a PostgreSQL server to run on; an in-memory PGlite when absent. */
  databaseUrl?: string;
  /** `BENCH_TAGS`: tags seeded into the one benchmark workspace (10,000). */
  tags: number;
  /** `BENCH_REQUESTS`: requests per path per round of the page workload (1,000); the dearer search workload sends a fifth. */
  requests: number;
  /** `BENCH_WARMUP`: requests per path before the first round, not measured (200; search a fifth). */
  warmup: number;
  /** `BENCH_CONCURRENCY`: requests in flight at once, closed loop (8). */
  concurrency: number;
  /** `BENCH_ROUNDS`: measured rounds; each path runs each workload once per round (5). */
  rounds: number;
  /** `BENCH_POOL_SIZE`: connections of the service's pool and of the plain `pg` pool alike (10, the kit's default). */
  poolSize: number;
  /** `BENCH_PAGE_SIZE`: the `limit` of every list call (20, the API default). */
  pageSize: number;
  /** `BENCH_SKIP_STARTUP=1`: skip the `npm start` measurements. */
  skipStartup: boolean;
  /** `BENCH_STARTUP_RUNS`: cold and warm starts measured each (3). */
  startupRuns: number;
  /** `BENCH_STARTUP_TIMEOUT_MS`: how long one `npm start` may take to print its ready line (120 s). */
  startupTimeoutMs: number;
}

/** Reads {@link BenchConfig} from `env`; throws naming the variable when a value is malformed. */
export function loadBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const read = createEnvReader(env);
  const positive = (name: string, fallback: number): number => {
    const value = read.int(name, fallback);
    if (value < 1) throw new Error(`Environment variable ${name} must be at least 1, got ${value}`);
    return value;
  };
  const config: BenchConfig = {
    databaseUrl: read.optionalString("DATABASE_URL"),
    tags: positive("BENCH_TAGS", 10_000),
    requests: positive("BENCH_REQUESTS", 1_000),
    warmup: read.int("BENCH_WARMUP", 200),
    concurrency: positive("BENCH_CONCURRENCY", 8),
    rounds: positive("BENCH_ROUNDS", 5),
    poolSize: positive("BENCH_POOL_SIZE", 10),
    pageSize: positive("BENCH_PAGE_SIZE", DEFAULT_LIMIT),
    skipStartup: read.bool("BENCH_SKIP_STARTUP", false),
    startupRuns: positive("BENCH_STARTUP_RUNS", 3),
    startupTimeoutMs: positive("BENCH_STARTUP_TIMEOUT_MS", 120_000),
  };
  // The API refuses larger limits; fail here rather than on the first call.
  if (config.pageSize > MAX_LIMIT) throw new Error(`BENCH_PAGE_SIZE must be at most ${MAX_LIMIT}, got ${config.pageSize}`);
  return Object.freeze(config);
}
