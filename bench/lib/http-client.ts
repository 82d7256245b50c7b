import { Agent, request } from "node:http";

/** A keep-alive HTTP client for one server, as a load generator needs it. */
export interface JsonHttpClient {
  /** GETs `path` with the client's headers; resolves with the parsed JSON body of a 200, rejects on anything else. */
  get(path: string): Promise<unknown>;
  /** Closes every connection. */
  close(): void;
}

/** Options of {@link createJsonHttpClient}. */
export interface JsonHttpClientOptions {
  /** Sent with every request (credentials, workspace). */
  headers: Record<string, string>;
  /** Connections at most; requests beyond wait in the agent's queue. */
  maxSockets: number;
}

/**
 * A client over Node's own `http.Agent` with keep-alive: at most `maxSockets` connections, reused
 * request after request as a real API client (or a load balancer) holds them, so connection set-up
 * is not measured. Each answer is read whole and parsed, as a real client would.
 */
export function createJsonHttpClient(baseUrl: string, options: JsonHttpClientOptions): JsonHttpClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets, scheduling: "fifo" });
  const headers = { accept: "application/json", ...options.headers };
  return {
    get: (path) =>
      new Promise((resolve, reject) => {
        const req = request({ agent, host: url.hostname, port: url.port, path, method: "GET", headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) {
              reject(new Error(`GET ${baseUrl}${path} answered ${res.statusCode}: ${text.slice(0, 500)}`));
              return;
            }
            try {
              resolve(JSON.parse(text));
            } catch (error) {
              reject(new Error(`GET ${baseUrl}${path} answered invalid JSON: ${String(error)}`));
            }
          });
        });
        req.on("error", reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}
