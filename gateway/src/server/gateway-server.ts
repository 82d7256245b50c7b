import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { applyCors, setSecurityHeaders, type CorsOptions } from "../pipeline/response-headers";

/** A handler that answers some requests: true when it took the request. */
export type PartialHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the gateway's HTTP server serves. */
export interface GatewayServerOptions {
  host: string;
  port: number;
  /** The `/api/v1` transcoding path. */
  api: (req: IncomingMessage, res: ServerResponse) => void;
  /** The OpenAPI document, served at `/api/v1/openapi.json`. */
  openApiJson: () => string;
  /** Other handlers tried in order before the API (docs, Connect). */
  extra: PartialHandler[];
  metricsRegistry: Registry;
  isReady: () => { ready: boolean; reasons: string[] };
  cors: CorsOptions;
}

/** The listening gateway. */
export interface GatewayServer {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * One `node:http` server for everything on the gateway's port. `/api/v1/...` goes straight to the
 * transcoding handler, with no framework in between; the rest (OpenAPI, docs, Connect, health,
 * metrics) is dispatched by path.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<GatewayServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path.startsWith("/api/v1/") && path !== "/api/v1/openapi.json") {
      if (applyCors(req, res, options.cors)) return;
      options.api(req, res);
      return;
    }
    if (path === "/api/v1/openapi.json") {
      if (applyCors(req, res, options.cors)) return;
      const body = options.openApiJson();
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" }).end(body);
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      const { ready, reasons } = options.isReady();
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ready ? "ready" : "not ready", reasons }));
      return;
    }
    if (path === "/metrics") {
      options.metricsRegistry.metrics().then(
        (text) => res.writeHead(200, { "content-type": options.metricsRegistry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    for (const handler of options.extra) if (handler(req, res)) return;
    setSecurityHeaders(res);
    res.writeHead(404, { "content-type": "application/json; charset=utf-8" }).end(
      JSON.stringify({ success: false, error: { code: "NOT_FOUND", message: `No route for ${req.method} ${path}` } }),
    );
  });
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still running get a moment to finish; then their connections are cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
