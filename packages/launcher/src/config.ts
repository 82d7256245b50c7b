import { join, resolve } from "node:path";
import { createEnvReader } from "@velaflows/kit";

/** What the launcher reads from its environment. */
export interface LauncherConfig {
  /** `DATABASE_URL`: when set, every service uses this server instead of the embedded one. */
  databaseUrl?: string;
  /** `VELAFLOWS_DATA_DIR`: where the embedded PostgreSQL keeps its data; `.data/pglite` at the repository root. */
  dataDir: string;
  /** `EMBEDDED_POSTGRES_PORT`: loopback port of the embedded PostgreSQL; 5433 by default, 0 for any free port. */
  embeddedPostgresPort: number;
  /** `VELAFLOWS_SERVICES`: comma-separated manifest names to start; all when empty. */
  only: string[];
  /** The folder holding `services/<name>/service.yaml`. */
  servicesDir: string;
  /** `VELAFLOWS_GATEWAY`: start the REST gateway in front of the services (true). */
  gateway: boolean;
}

export function loadLauncherConfig(env: NodeJS.ProcessEnv): LauncherConfig {
  const read = createEnvReader(env);
  const root = resolve(__dirname, "..", "..", "..");
  return Object.freeze({
    databaseUrl: read.optionalString("DATABASE_URL"),
    dataDir: resolve(read.string("VELAFLOWS_DATA_DIR", join(root, ".data", "pglite"))),
    embeddedPostgresPort: read.int("EMBEDDED_POSTGRES_PORT", 5433),
    only: (read.optionalString("VELAFLOWS_SERVICES") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    servicesDir: join(root, "services"),
    gateway: read.bool("VELAFLOWS_GATEWAY", true),
  });
}
