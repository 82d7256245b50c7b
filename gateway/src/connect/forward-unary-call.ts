import { fromBinary, toBinary, type Message } from "@bufbuild/protobuf";
import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import { codeToHttpStatus } from "@connectrpc/connect/protocol-connect";
import { context } from "@opentelemetry/api";
import { validateMessage, ValidationError, type Logger } from "@velaflows/kit";
import { RetryInfoSchema } from "@velaflows/proto/es/google/rpc/error_details_pb";
import { HttpError } from "../errors/http-error";
import { httpErrorFor } from "../errors/http-status";
import type { GatewayMetrics } from "../observability/gateway-metrics";
import type { Access, GatewaySteps } from "../pipeline/gateway-steps";
import { beginIdempotentRequest, type IdempotencyStart, type IdempotentRequest } from "../pipeline/idempotency-step";
import { requestIdOf } from "../pipeline/request-id";
import { upstreamMetadata } from "../pipeline/upstream-metadata";
import { rateLimitHeaders, retryAfterSeconds } from "../rate-limit/rate-limit-headers";
import type { RateLimitDecision } from "../rate-limit/rate-limit-store";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { ConnectMethod } from "./connect-methods";
import { errorInfo, toConnectError } from "./to-connect-error";
import { incomingTraceContext } from "./trace-context";

/** What the Connect edge's calls need; all of it built once in `main.ts`, shared with the REST path. */
export interface UnaryForwarderOptions {
  steps: GatewaySteps;
  upstreams: UpstreamPool;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Deadline of upstream calls whose client set no timeout, and the cap on any client's timeout. */
  upstreamTimeoutMs: number;
  maxUpstreamTimeoutMs: number;
}

/** The client's address for rate limits, put into each call's context values by the adapter. */
export const clientIpKey = createContextKey<string>("unknown", { description: "the client's address" });

/** A unary implementation over any message type (the edge is descriptor-driven). */
export type UnaryForwarder = (request: Message, ctx: HandlerContext) => Promise<Message>;

/**
 * The implementation of one RPC at the Connect edge: the REST path's steps in the same order
 * (client rate limit, authentication unless `public`, authorization with `x-workspace-id`, the
 * method's rate-limit class, field rules), then the request re-encoded and forwarded to the
 * service with the same metadata as REST, within the client's timeout capped by the gateway's
 * maximum, cancelled with the call. Rate-limit headers go out as response headers, errors as
 * ConnectErrors with typed details.
 */
export function forwardUnaryCall(target: ConnectMethod, options: UnaryForwarderOptions): UnaryForwarder {
  const { method, policy, upstream, procedure } = target;
  const { steps, upstreams, metrics, logger } = options;

  return async (request, ctx) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(ctx.requestHeader.get("x-request-id") ?? undefined);
    const clientIp = ctx.values.get(clientIpKey);
    ctx.responseHeader.set("x-request-id", requestId);
    metrics.httpServerActiveRequests.inc({ http_request_method: ctx.requestMethod });
    let access: Access = {};
    let failure: { error: ConnectError; thrown: unknown } | undefined;
    let idempotent: IdempotentRequest | undefined;
    try {
      applyRateLimit(ctx, await steps.limitClient(clientIp), "ip");
      const principal = policy.access === "public" ? undefined : await steps.authenticate(ctx.requestHeader.get("authorization") ?? undefined);
      access = await steps.authorize(policy, principal, ctx.requestHeader.get("x-workspace-id") ?? undefined);
      applyRateLimit(ctx, await steps.limitCall(target, access, clientIp), String(policy.rateLimit));
      const violations = validateMessage(method.input, request);
      if (violations.length > 0) throw new ValidationError(violations);
      const requestBytes = toBinary(method.input, request);

      const begun = await beginIdempotentCall(ctx, access, requestBytes);
      if (begun.kind === "replay") {
        ctx.responseHeader.set("idempotent-replayed", "true");
        return fromBinary(method.output, base64Decode(begun.response.body));
      }
      idempotent = begun.request;

      const timeoutMs = Math.min(ctx.timeoutMs() ?? options.upstreamTimeoutMs, options.maxUpstreamTimeoutMs);
      const callAccess = access;
      const response = await context.with(incomingTraceContext(ctx.requestHeader), () =>
        upstreams.call({
          upstream,
          path: procedure,
          request: requestBytes,
          metadata: upstreamMetadata(requestId, callAccess, { ip: clientIp, userAgent: ctx.requestHeader.get("user-agent") ?? undefined }),
          deadline: new Date(Date.now() + timeoutMs),
          signal: ctx.signal,
        }),
      );
      // Only answers are replayed: a failed call frees its key (as a 5xx does on REST), so a retry runs again.
      await idempotent?.finish(200, base64Encode(response));
      idempotent = undefined;
      return fromBinary(method.output, response);
    } catch (thrown) {
      await idempotent?.finish(500, "").catch((error: unknown) => logger.error({ err: error, request_id: requestId }, "failed to free an Idempotency-Key"));
      // When connect aborted the call (its deadline passed, the client went away), the upstream's
      // CANCELLED is only the echo of that: answer with the reason itself.
      const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : undefined;
      const error = toConnectError(reason instanceof ConnectError ? reason : thrown, requestId);
      failure = { error, thrown };
      throw error;
    } finally {
      metrics.httpServerActiveRequests.dec({ http_request_method: ctx.requestMethod });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const code = failure?.error.code;
      // Labelled like REST requests: the route is the procedure, the status what Connect answers over HTTP.
      const status = code === undefined ? 200 : codeToHttpStatus(code);
      metrics.httpServerRequestDuration.observe({ http_request_method: ctx.requestMethod, http_route: procedure, http_response_status_code: String(status) }, seconds);
      const mapping = code === undefined ? undefined : httpErrorFor(code as number, false);
      if (mapping && mapping.status >= 500) metrics.upstreamErrors.inc({ upstream, rpc_response_status_code: mapping.code });
      const line = {
        request_id: requestId,
        rpc_method: procedure,
        rpc_protocol: ctx.protocolName,
        code: code === undefined ? "ok" : Code[code],
        duration_ms: Math.round(seconds * 1e5) / 100,
        upstream,
        ...(access.workspaceId ? { workspace_id: access.workspaceId } : {}),
      };
      if (mapping && mapping.status >= 500) logger.error({ ...line, err: failure?.thrown }, "rpc failed");
      else logger.info(line, "rpc");
    }
  };

  // Idempotency-Key on a Connect or gRPC call, as on a REST POST: keyed by caller and workspace,
  // fingerprinted by the procedure and the encoded request, so a JSON and a binary client asking the
  // same thing share a key. Methods whose answer holds a secret refuse the header.
  async function beginIdempotentCall(ctx: HandlerContext, access: Access, requestBytes: Uint8Array): Promise<IdempotencyStart> {
    const keyHeader = ctx.requestHeader.get("idempotency-key") ?? undefined;
    if (keyHeader === undefined) return { kind: "run" };
    if (policy.sensitiveResponse) {
      throw new HttpError(400, "BAD_REQUEST", "Idempotency-Key is not accepted here: the response carries a secret that is never stored");
    }
    if (!steps.idempotency) return { kind: "run" };
    return beginIdempotentRequest(steps.idempotency, {
      keyHeader,
      method: ctx.requestMethod,
      target: procedure,
      body: base64Encode(requestBytes),
      access,
      remoteAddress: ctx.values.get(clientIpKey),
    });
  }

  function applyRateLimit(ctx: HandlerContext, decision: RateLimitDecision, rateLimitClass: string): void {
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) ctx.responseHeader.set(name, value);
    if (decision.allowed) return;
    metrics.rateLimitRejections.inc({ rate_limit_class: rateLimitClass });
    const seconds = retryAfterSeconds(decision, Date.now());
    throw new ConnectError(`Rate limit exceeded. Try again in ${seconds} seconds.`, Code.ResourceExhausted, { "retry-after": String(seconds) }, [
      errorInfo("TOO_MANY_REQUESTS"),
      { desc: RetryInfoSchema, value: { retryDelay: { seconds: BigInt(seconds) } } },
    ]);
  }
}
