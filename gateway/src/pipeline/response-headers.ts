import type { IncomingMessage, ServerResponse } from "node:http";

/** Headers every gateway response carries: an API answers JSON that no browser should sniff or frame. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("cache-control", "no-store");
  res.setHeader("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
}

/** CORS policy: which browser origins may call the API ("*" for any). */
export interface CorsOptions {
  origins: readonly string[];
}

const ALLOWED_HEADERS = "authorization, content-type, x-workspace-id, x-request-id, idempotency-key, grpc-timeout";
const EXPOSED_HEADERS = "x-request-id, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, idempotent-replayed";

/**
 * Adds CORS headers for an allowed Origin and answers preflight requests (OPTIONS with
 * Access-Control-Request-Method) with 204. Returns true when it answered the request.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, options: CorsOptions): boolean {
  const origin = req.headers.origin;
  if (!origin || options.origins.length === 0) return false;
  const allowed = options.origins.includes("*") || options.origins.includes(origin);
  if (!allowed) return false;
  res.setHeader("access-control-allow-origin", options.origins.includes("*") ? "*" : origin);
  res.setHeader("vary", "Origin");
  res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
    res.setHeader("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE");
    res.setHeader("access-control-allow-headers", ALLOWED_HEADERS);
    res.setHeader("access-control-max-age", "600");
    res.writeHead(204).end();
    return true;
  }
  return false;
}
