import type { IncomingMessage, ServerResponse } from "node:http";

/** Headers every gateway response carries: an API answers JSON that no browser should sniff or frame. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
});

/** Sets {@link SECURITY_HEADERS} on a response. */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]!);
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
