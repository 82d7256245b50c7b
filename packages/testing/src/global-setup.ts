import { startEmbeddedPostgres, type EmbeddedPostgres } from "@velaflows/embedded-postgres";

declare global {
  // Shared with global-teardown (same process, outside the test sandboxes).
  var __velaflowsEmbeddedPostgres: EmbeddedPostgres | undefined;
}

/**
 * jest globalSetup: tests use DATABASE_URL when it is set (CI: a real PostgreSQL server); otherwise
 * an in-memory PGlite starts here, outside jest's module sandbox where its WASM cannot load, and
 * its URL reaches every test worker through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const postgres = await startEmbeddedPostgres({ maxConnections: 200 });
  globalThis.__velaflowsEmbeddedPostgres = postgres;
  process.env.DATABASE_URL = postgres.url;
}
