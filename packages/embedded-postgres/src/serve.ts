// `npm run db`: only the embedded PostgreSQL, for psql or a service started on its own. Prints
// "listening <url>" once ready and stops on SIGINT/SIGTERM. Options come from the environment:
// VELAFLOWS_DATA_DIR (in memory when unset) and EMBEDDED_POSTGRES_PORT (5433 by default).
import { startEmbeddedPostgres } from "./index";

async function serve(): Promise<void> {
  const postgres = await startEmbeddedPostgres({
    dataDir: process.env.VELAFLOWS_DATA_DIR || undefined,
    port: Number(process.env.EMBEDDED_POSTGRES_PORT ?? 5433),
  });
  process.stdout.write(`listening ${postgres.url}\n`);
  const stop = () => void postgres.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

serve().catch((error: unknown) => {
  process.stderr.write(`embedded PostgreSQL failed: ${String(error)}\n`);
  process.exit(1);
});
