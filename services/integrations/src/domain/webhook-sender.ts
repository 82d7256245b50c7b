import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { assertDeliverable, guardedLookup, isBlockedAddress, TargetRefusedError, type TargetPolicy } from "./target-guard";

/** What one webhook request came to. */
export interface SendResult {
  /** 0 when no response came. */
  status: number;
  /** Empty on success; otherwise why the attempt failed. */
  error: string;
  latencyMs: number;
  /** The target was refused by the SSRF guard (not retried). */
  refused: boolean;
}

export const USER_AGENT = "VelaFlows-Webhook/1.0";

// Connections to a receiver are kept open between deliveries (a new TCP and TLS handshake per
// webhook would cost more than the request). Each new connection goes through guardedLookup.
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 60_000 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 60_000 }) };

/**
 * POSTs `body` to `url` with `headers`. Success is a 2xx within `timeoutMs` (the response body
 * is read and ignored); redirects are not followed and count as failures, like any other status.
 * The host is checked against the policy before connecting, by address for literal IPs and
 * through {@link guardedLookup} for names.
 */
export function sendWebhook(url: string, body: string, headers: Record<string, string>, options: { timeoutMs: number; policy: TargetPolicy }): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<SendResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: latency() });
    };
    let target: URL;
    try {
      target = new URL(url);
      assertDeliverable(target, options.policy);
      const host = target.hostname.replace(/^\[|\]$/g, "");
      if (!options.policy.allowPrivateTargets && isIP(host) && isBlockedAddress(host)) {
        throw new TargetRefusedError("target refused: private, loopback, link-local or metadata address");
      }
    } catch (error) {
      const refused = error instanceof TargetRefusedError;
      finish({ status: 0, error: error instanceof Error ? error.message : String(error), refused });
      return;
    }
    const https = target.protocol === "https:";
    const send = https ? httpsRequest : httpRequest;
    const req = send(target, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body).toString(), "user-agent": USER_AGENT },
      lookup: guardedLookup(options.policy) as never,
      agent: https ? agents.https : agents.http,
    });
    timer = setTimeout(() => {
      finish({ status: 0, error: `timeout after ${options.timeoutMs} ms`, refused: false });
      req.destroy();
    }, options.timeoutMs);
    req.on("response", (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      // The body is ignored, but the answer counts only once it has fully arrived in time.
      response.resume();
      response.on("end", () => {
        if (status >= 200 && status < 300) finish({ status, error: "", refused: false });
        else if (status >= 300 && status < 400) finish({ status, error: `HTTP ${status}: redirect not followed`, refused: false });
        else finish({ status, error: `HTTP ${status}`, refused: false });
      });
      response.on("error", (error) => finish({ status, error: error.message, refused: false }));
    });
    req.on("error", (error) => finish({ status: 0, error: error.message || String(error), refused: error instanceof TargetRefusedError }));
    req.end(body);
  });
}
