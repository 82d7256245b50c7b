/** jest globalTeardown: stops the embedded PostgreSQL that globalSetup started, if any. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__velaflowsEmbeddedPostgres?.stop();
  globalThis.__velaflowsEmbeddedPostgres = undefined;
}
