import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { SessionLock } from "./session-lock";

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'

/** Options of {@link startWireServer}. */
export interface WireServerOptions {
  db: PGlite;
  host: string;
  port: number;
  /** Connections accepted at once; more are refused with a PostgreSQL error. */
  maxConnections: number;
}

/** A listening wire-protocol server. */
export interface WireServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Serves the PostgreSQL wire protocol over one PGlite instance, so `pg` clients connect as to a
 * real server. PGlite has a single session, so the server hands it to one connection at a time
 * and keeps it there until the backend reports idle: this is what keeps concurrent pools correct.
 * (pglite-socket 0.2.17 interleaves extended-protocol messages of different connections outside
 * transactions, which fails with "unnamed prepared statement does not exist" and can stall its
 * queue for good: electric-sql/pglite#1046.)
 */
export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const { db } = options;
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  let nextId = 1;

  const server: Server = createServer((socket) => {
    if (sockets.size >= options.maxConnections) {
      socket.end(errorResponse("53300", "too many connections for the embedded PostgreSQL"));
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const id = nextId++;
    let buffered = Buffer.alloc(0);
    let startupDone = false;
    let chain = Promise.resolve();

    const close = () => {
      if (!sockets.delete(socket)) return;
      socket.destroy();
      // A client that vanished mid-transaction must not leave the session blocked.
      chain = chain.then(async () => {
        try {
          await lock.acquire(id);
          if (db.isInTransaction()) await db.exec("ROLLBACK");
        } catch {
          // The session is reset by the next client's statements; nothing else to do.
        } finally {
          lock.forget(id);
        }
      });
    };

    const handle = async (message: Buffer) => {
      await lock.acquire(id);
      let tail = Buffer.alloc(0);
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(new Uint8Array(message), {
            onRawData: (chunk: Uint8Array) => {
              if (chunk.length === 0) return;
              if (!socket.destroyed) socket.write(chunk);
              tail = Buffer.concat([tail, Buffer.from(chunk)]).subarray(-6);
            },
          }),
        );
      } catch (error) {
        socket.write(errorResponse("XX000", error instanceof Error ? error.message : String(error)));
        close();
        return;
      }
      // ReadyForQuery is the last message of every response: 'Z', int32 5, status.
      const idle = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail.readInt32BE(1) === 5 && tail[5] === IDLE;
      if (idle) lock.release(id);
    };

    socket.on("data", (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      for (;;) {
        if (!startupDone) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          const packet = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write("N"); // no encryption on loopback
          } else if (code === CANCEL_REQUEST) {
            close(); // cancellation is not supported; the request connection just closes
            return;
          } else {
            startupDone = true;
            chain = chain.then(() => handle(packet));
          }
          continue;
        }
        if (buffered.length < 5) return;
        const length = 1 + buffered.readInt32BE(1);
        if (buffered.length < length) return;
        const packet = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (packet[0] === TERMINATE) {
          close();
          return;
        }
        chain = chain.then(() => handle(packet));
      }
    });
    socket.on("error", close);
    socket.on("close", close);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// An ErrorResponse message: severity, SQLSTATE and text, as a real server sends before closing.
function errorResponse(sqlState: string, message: string): Buffer {
  const fields = Buffer.concat([
    field("S", "FATAL"),
    field("V", "FATAL"),
    field("C", sqlState),
    field("M", message),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

function field(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code), Buffer.from(value, "utf8"), Buffer.from([0])]);
}
