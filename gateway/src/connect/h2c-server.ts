import { createServer, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";

/** What the HTTP/2 cleartext server serves and where. */
export interface H2cServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler(req: Http2ServerRequest, res: Http2ServerResponse): void;
}

/** The listening h2c server. */
export interface H2cServer {
  port: number;
  close(): Promise<void>;
}

/**
 * An HTTP/2 cleartext (prior knowledge) server for gRPC and Connect clients. It has a port of its
 * own: Node's h2c server cannot also answer HTTP/1.1 (there is no upgrade or sniffing), and gRPC
 * needs HTTP/2 for its trailers. Closing sends GOAWAY to every session so calls in flight finish;
 * sessions still open after a grace period are destroyed.
 */
export async function startH2cServer(options: H2cServerOptions): Promise<H2cServer> {
  const server = createServer(options.handler);
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.close();
        setTimeout(() => {
          for (const session of sessions) session.destroy();
        }, 2_000).unref();
      }),
  };
}
