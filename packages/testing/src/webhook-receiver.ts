import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link WebhookReceiver} got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as sent (signatures are over these bytes). */
  rawBody: Buffer;
  /** The body parsed as JSON, or undefined. */
  json: any;
  /** `performance.now()` when the body had arrived (for latencies measured in this process). */
  receivedAt: number;
}

/** How the receiver answers request `index` (0-based): a status, optionally after a delay. */
export type ReceiverAnswer = (request: ReceivedRequest, index: number) => { status: number; delayMs?: number; headers?: Record<string, string> };

/** A local HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint. */
export interface WebhookReceiver {
  /** "http://127.0.0.1:<port>/hooks" */
  url: string;
  requests: ReceivedRequest[];
  /** Changes how later requests are answered (200 by default). */
  answer(answer: ReceiverAnswer): void;
  /** Resolves once `count` requests matching `filter` arrived; rejects after `timeoutMs`. */
  waitFor(count: number, options?: { timeoutMs?: number; filter?: (request: ReceivedRequest) => boolean }): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(answer: ReceiverAnswer = () => ({ status: 200 })): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  let current = answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString("utf8"));
      } catch {
        json = undefined;
      }
      const request: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, rawBody, json, receivedAt: performance.now() };
      const index = requests.push(request) - 1;
      for (const wake of waiters) wake();
      const { status, delayMs = 0, headers = {} } = current(request, index);
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify({ received: status < 300 }));
      };
      if (delayMs > 0) setTimeout(reply, delayMs).unref();
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    answer(next) {
      current = next;
    },
    waitFor(count, options = {}) {
      const { timeoutMs = 15_000, filter = () => true } = options;
      const matching = () => requests.filter(filter);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length < count) return;
          cleanup();
          resolve(matching());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} webhook request(s) within ${timeoutMs} ms, got ${matching().length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
