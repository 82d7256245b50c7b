import type { RunningService } from "@velaflows/kit";

/**
 * Starts a service through its own `main()` on free loopback ports against the test database
 * (DATABASE_URL, set by globalSetup), exactly as production wiring runs it. `name` is the
 * service's manifest name, which prefixes its port variables.
 */
export function startTestService(name: string, main: (env: NodeJS.ProcessEnv) => Promise<RunningService>, env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const prefix = name.toUpperCase().replace(/-/g, "_");
  return main({
    ...process.env,
    HOST: "127.0.0.1",
    [`${prefix}_GRPC_PORT`]: "0",
    [`${prefix}_HTTP_PORT`]: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATABASE_POOL_SIZE: "4",
    ...env,
  });
}
