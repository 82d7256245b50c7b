import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** A folder that keeps the data between runs; in memory when absent. */
  dataDir?: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Connections the socket server accepts. It must cover every pool in the process: the server
   * resets connections beyond it. All connections share one PGlite session, so queries queue and
   * an open transaction holds the others back (correct, but serial).
   */
  maxConnections?: number;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM, in this process) behind its wire-protocol socket
 * server on loopback, so services connect with plain `pg` exactly as to a real server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: options.maxConnections ?? 100 });
  await server.start();
  const [, port] = server.getServerConn().split(":");
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
