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
  const positive = positiveReader(read);
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

/** The knobs of the gateway benchmark (`npm run bench:gateway`), all optional environment variables. */
export interface GatewayBenchConfig {
  /** `DATABASE_URL`: a PostgreSQL server to run on; an in-memory PGlite when absent. */
  databaseUrl?: string;
  /** `BENCH_TAGS`: tags seeded into the one benchmark workspace (1,000). */
  tags: number;
  /** `BENCH_REQUESTS`: requests per variant, endpoint and round at saturation (1,500). */
  requests: number;
  /** `BENCH_WARMUP`: unmeasured requests per variant and endpoint before the first round (500). */
  warmup: number;
  /** `BENCH_CONCURRENCY`: requests in flight at once at saturation, closed loop, every variant alike (16). */
  concurrency: number;
  /** `BENCH_ROUNDS`: measured saturation rounds (5). */
  rounds: number;
  /** `BENCH_RATE`: requests per second of the fixed-rate runs (1,000); a comma-separated list runs each rate in turn. */
  rates: number[];
  /** `BENCH_RATE_SECONDS`: length of one fixed-rate run (5 s). */
  rateSeconds: number;
  /** `BENCH_RATE_ROUNDS`: fixed-rate runs per variant and endpoint, order alternating (2); 0 skips them. */
  rateRounds: number;
  /** `BENCH_POOL_SIZE`: connections of the Tags service's database pool (10, the kit's default). */
  poolSize: number;
  /** `BENCH_PAGE_SIZE`: the `limit` of the list endpoint (20, the API default). */
  pageSize: number;
}

/** Reads {@link GatewayBenchConfig} from `env`; throws naming the variable when a value is malformed. */
export function loadGatewayBenchConfig(env: NodeJS.ProcessEnv): GatewayBenchConfig {
  const read = createEnvReader(env);
  const positive = positiveReader(read);
  const config: GatewayBenchConfig = {
    databaseUrl: read.optionalString("DATABASE_URL"),
    tags: positive("BENCH_TAGS", 1_000),
    requests: positive("BENCH_REQUESTS", 1_500),
    warmup: read.int("BENCH_WARMUP", 500),
    concurrency: positive("BENCH_CONCURRENCY", 16),
    rounds: positive("BENCH_ROUNDS", 5),
    rates: positiveList(env, "BENCH_RATE", [1_000]),
    rateSeconds: positive("BENCH_RATE_SECONDS", 5),
    rateRounds: read.int("BENCH_RATE_ROUNDS", 2),
    poolSize: positive("BENCH_POOL_SIZE", 10),
    pageSize: positive("BENCH_PAGE_SIZE", DEFAULT_LIMIT),
  };
  if (config.pageSize > MAX_LIMIT) throw new Error(`BENCH_PAGE_SIZE must be at most ${MAX_LIMIT}, got ${config.pageSize}`);
  if (config.warmup < 0 || config.rateRounds < 0) throw new Error("BENCH_WARMUP and BENCH_RATE_ROUNDS must not be negative");
  return Object.freeze(config);
}

// A comma-separated list of integers of at least 1: "1000" or "1000,400".
function positiveList(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const items = value.split(",").map((item) => item.trim());
  if (items.some((item) => !/^\d+$/.test(item) || Number(item) < 1)) {
    throw new Error(`Environment variable ${name} must be positive integers separated by commas, got "${value}"`);
  }
  return items.map(Number);
}

// An integer variable that must be at least 1.
function positiveReader(read: ReturnType<typeof createEnvReader>): (name: string, fallback: number) => number {
  return (name, fallback) => {
    const value = read.int(name, fallback);
    if (value < 1) throw new Error(`Environment variable ${name} must be at least 1, got ${value}`);
    return value;
  };
}
