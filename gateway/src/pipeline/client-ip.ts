import type { IncomingHttpHeaders } from "node:http";

/** What {@link clientIpOf} reads of a request; both `node:http` and `node:http2` requests have it. */
export interface ClientAddressSource {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}

/**
 * The client's address for rate limits: the first X-Forwarded-For entry when the gateway runs
 * behind a trusted proxy or ingress (`trustProxy`), else the socket's peer address.
 */
export function clientIpOf(req: ClientAddressSource, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers["x-forwarded-for"];
    const forwarded = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? "unknown";
}
