import { startEmbeddedPostgres } from "@velaflows/embedded-postgres";

/** The database one benchmark run works on. */
export interface BenchDatabase {
  url: string;
  /** True for the in-memory PGlite this process started. */
  embedded: boolean;
  /** For the report: "embedded PGlite (in memory)" or "PostgreSQL at host:port/db". */
  description: string;
  stop(): Promise<void>;
}

/**
 * `databaseUrl` when given (left running on stop), else a fresh in-memory PGlite in this process,
 * which is what tests and `npm start` use when DATABASE_URL is unset.
 */
export async function openDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    return { url: databaseUrl, embedded: false, description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`, stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres();
  return { url: embedded.url, embedded: true, description: "embedded PGlite (in memory)", stop: () => embedded.stop() };
}
