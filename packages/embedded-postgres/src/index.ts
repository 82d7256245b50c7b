import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { startWireServer } from "./wire-server";

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** A folder that keeps the data between runs; in memory when absent. */
  dataDir?: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Connections accepted at once; it must cover every pool in the process. All connections share
   * one PGlite session, so statements run one at a time and a transaction holds the others back
   * (correct, but serial: measure performance on a real server).
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
 * Starts PGlite (PostgreSQL compiled to WASM, in this process) behind a wire-protocol server on
 * loopback, so services connect with plain `pg` exactly as to a real server.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = await startWireServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: options.maxConnections ?? 100 });
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
