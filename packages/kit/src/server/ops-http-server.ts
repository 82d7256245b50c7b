import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** The small HTTP port every service exposes besides gRPC, for Prometheus and humans. */
export interface OpsHttpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (the service's Prometheus registry), `GET /healthz` (the process is alive)
 * and `GET /readyz` (200 while `isReady()`, else 503). Kubernetes probes use native gRPC health;
 * these are for scrapers and people.
 */
export async function startOpsHttpServer(options: { host: string; port: number; registry: Registry; isReady: () => boolean }): Promise<OpsHttpServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (body) => res.writeHead(200, { "content-type": options.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    } else if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (path === "/readyz") {
      const ready = options.isReady();
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ready ? "ready" : "not ready" }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
