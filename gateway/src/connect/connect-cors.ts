import type { IncomingMessage, ServerResponse } from "node:http";
import { cors } from "@connectrpc/connect";
import type { CorsOptions } from "../pipeline/response-headers";

const headerList = (names: readonly string[]) => names.map((name) => name.toLowerCase()).join(", ");
const ALLOWED_HEADERS = headerList([...cors.allowedHeaders, "authorization", "x-workspace-id", "x-request-id", "traceparent", "tracestate"]);
const EXPOSED_HEADERS = headerList([...cors.exposedHeaders, "x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"]);

/**
 * CORS for browser Connect and gRPC-Web clients on the HTTP/1.1 port: the REST path's origins,
 * with the protocol headers connect-es lists (`Connect-Protocol-Version`, `Grpc-Timeout`, ...)
 * besides ours. Answers preflight requests with 204; returns true when it answered.
 */
export function applyConnectCors(req: IncomingMessage, res: ServerResponse, options: CorsOptions): boolean {
  const origin = req.headers.origin;
  if (!origin || options.origins.length === 0) return false;
  const any = options.origins.includes("*");
  if (!any && !options.origins.includes(origin)) return false;
  res.setHeader("access-control-allow-origin", any ? "*" : origin);
  res.setHeader("vary", "Origin");
  res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
    res.setHeader("access-control-allow-methods", cors.allowedMethods.join(", "));
    res.setHeader("access-control-allow-headers", ALLOWED_HEADERS);
    res.setHeader("access-control-max-age", "600");
    res.writeHead(204).end();
    return true;
  }
  return false;
}
