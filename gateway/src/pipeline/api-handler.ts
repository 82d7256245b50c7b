import type { IncomingMessage, ServerResponse } from "node:http";
import { fromBinary, fromJson, toBinary, toJson, type FileRegistry } from "@bufbuild/protobuf";
import { validateMessage, ValidationError, type Logger } from "@velaflows/kit";
import { HttpError } from "../errors/http-error";
import { renderError } from "../errors/error-envelope";
import type { GatewayMetrics } from "../observability/gateway-metrics";
import type { RateLimitDecision } from "../rate-limit/rate-limit-store";
import type { Route } from "../routing/route";
import type { RouteMatcher } from "../routing/route-matcher";
import { createBinaryToJson } from "../transcoding/binary-to-json";
import { BodyError, buildRequestJson } from "../transcoding/build-request-json";
import { readHttpBody, type RawResponse } from "../transcoding/http-body";
import { ParameterError } from "../transcoding/scalar-text";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { clientIpOf } from "./client-ip";
import { ClientDisconnect } from "./client-disconnect";
import type { Access, GatewaySteps } from "./gateway-steps";
import { upstreamDeadline } from "./grpc-timeout";
import { beginIdempotentRequest, type IdempotentRequest } from "./idempotency-step";
import { readJsonBody } from "./read-body";
import { requestIdOf } from "./request-id";
import { SECURITY_HEADERS } from "./response-headers";
import { upstreamMetadata } from "./upstream-metadata";

/** What the `/api/v1` handler needs; all of it built once in `main.ts`. */
export interface ApiHandlerOptions {
  registry: FileRegistry;
  match: RouteMatcher;
  steps: GatewaySteps;
  upstreams: UpstreamPool;
  metrics: GatewayMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  /** Deadline of upstream calls without a Grpc-Timeout header, and the cap on any deadline. */
  upstreamTimeoutMs: number;
  maxUpstreamTimeoutMs: number;
  /** Read the client address from X-Forwarded-For (behind a trusted proxy or ingress). */
  trustProxy: boolean;
}

const JSON_WRITE = { alwaysEmitImplicit: true } as const;
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** What is written: the envelope (JSON text), or a `google.api.HttpBody`'s bytes with its own headers. */
type Answer = { status: number; body: string } | { status: number; body: Uint8Array; headers: RawResponse["headers"] };

/**
 * The `/api/v1` hot path, a plain `node:http` handler: request id, client rate limit, route match,
 * authentication, authorization, call rate limit, body, idempotency, request message (path, query,
 * body), validation, upstream gRPC call, envelope. Every error takes the same writer.
 */
export function createApiHandler(options: ApiHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { registry, match, steps, upstreams, metrics, logger } = options;
  const renderJson = createBinaryToJson(registry);

  // The response message as JSON text; with `response_body`, only that field of it.
  function responseJson(route: Route, response: Uint8Array): string {
    if (!route.responseBody) return renderJson(route.method.output, response);
    const output = toJson(route.method.output, fromBinary(route.method.output, response), { ...JSON_WRITE, registry }) as Record<string, unknown>;
    return JSON.stringify(output[route.method.output.fields.find((f) => f.name === route.responseBody)!.jsonName]) ?? "null";
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req.headers["x-request-id"]);
    const httpMethod = req.method ?? "GET";
    const clientIp = clientIpOf(req, options.trustProxy);
    // The response's headers, written at once with the status (cheaper than res.setHeader for each):
    // the request id, the security headers, then the rate-limit headers and any the answer adds.
    const headers: Record<string, string | number> = { "x-request-id": requestId, ...SECURITY_HEADERS };
    metrics.httpServerActiveRequests.inc({ http_request_method: httpMethod });

    const disconnect = new ClientDisconnect();
    res.once("close", () => {
      if (!res.writableFinished) disconnect.abort();
    });

    let route: Route | undefined;
    let access: Access = {};
    let idempotent: IdempotentRequest | undefined;
    let failure: unknown;

    const run = async (): Promise<Answer> => {
      applyRateLimit(headers, await steps.limitClient(clientIp), "ip");
      const { rawPath, rawQuery } = splitTarget(req.url ?? "/");
      const found = match(httpMethod, rawPath);
      if (found.kind === "not_found") throw new HttpError(404, "NOT_FOUND", `No route for ${httpMethod} ${rawPath}`);
      if (found.kind === "bad_path") throw new HttpError(400, "BAD_REQUEST", "The path has malformed percent-encoding");
      if (found.kind === "method_not_allowed") {
        throw new HttpError(405, "METHOD_NOT_ALLOWED", `${httpMethod} is not allowed here; use ${found.allow.join(", ")}`, undefined, { allow: found.allow.join(", ") });
      }
      route = found.route;
      const policy = route.policy;
      const principal = policy.access === "public" ? undefined : await steps.authenticate(header(req, "authorization"));
      access = await steps.authorize(policy, principal, header(req, "x-workspace-id"));
      applyRateLimit(headers, await steps.limitCall(route, access, clientIp), String(policy.rateLimit));

      // A method declaring `max_request_bytes` (an upload) has that limit instead of the gateway's.
      const bodyLimit = policy.maxRequestBytes || options.bodyLimitBytes;
      const body = route.body === "" ? (req.resume(), { text: "", json: undefined }) : await readJsonBody(req, bodyLimit);
      if (policy.sensitiveResponse && req.headers["idempotency-key"] !== undefined) {
        // Replaying would mean storing a secret meant to be shown once; a retry must be a new request.
        throw new HttpError(400, "BAD_REQUEST", "Idempotency-Key is not accepted here: the response carries a secret that is never stored");
      }
      // Replays store JSON text: a raw (HttpBody) answer is not kept, each retry runs again.
      if (steps.idempotency && httpMethod === "POST" && !policy.sensitiveResponse && !route.httpBody) {
        const begun = await beginIdempotentRequest(steps.idempotency, {
          keyHeader: req.headers["idempotency-key"],
          method: httpMethod,
          target: req.url ?? "/",
          body: body.text,
          access,
          remoteAddress: req.socket.remoteAddress,
        });
        if (begun.kind === "replay") {
          headers["idempotent-replayed"] = "true";
          for (const [name, value] of Object.entries(begun.response.headers)) headers[name.toLowerCase()] = value;
          return { status: begun.response.status, body: begun.response.body };
        }
        idempotent = begun.request;
      }

      let message;
      try {
        const json = buildRequestJson(route, { params: found.params, query: new URLSearchParams(rawQuery), body: body.json });
        message = fromJson(route.method.input, json as never, { registry, ignoreUnknownFields: true });
      } catch (error) {
        throw transcodingError(error);
      }
      const violations = validateMessage(route.method.input, message);
      if (violations.length > 0) throw new ValidationError(violations);

      const response = await upstreams.call({
        upstream: route.upstream,
        path: `/${route.method.parent.typeName}/${route.method.name}`,
        request: toBinary(route.method.input, message),
        metadata: upstreamMetadata(requestId, access, { ip: clientIp, userAgent: header(req, "user-agent") }),
        deadline: upstreamDeadline(req.headers["grpc-timeout"], options.upstreamTimeoutMs, options.maxUpstreamTimeoutMs),
        signal: disconnect,
      });
      if (route.httpBody) {
        const raw = readHttpBody(route.method.output, route.responseBody, response);
        return { status: policy.successStatus, body: raw.data, headers: raw.headers };
      }
      return { status: policy.successStatus, body: `{"success":true,"data":${responseJson(route, response)}}` };
    };

    run()
      .catch((error: unknown) => {
        failure = error;
        const rendered = renderError(error, requestId);
        for (const [name, value] of Object.entries(rendered.headers)) headers[name.toLowerCase()] = value;
        if (error instanceof HttpError && error.status < 500 && error.status !== 429) metrics.transcodingErrors.inc({ reason: error.code });
        if (route && !(error instanceof HttpError) && rendered.status >= 500) {
          metrics.upstreamErrors.inc({ upstream: route.upstream, rpc_response_status_code: rendered.body.error.code });
        }
        return { status: rendered.status, body: JSON.stringify(rendered.body) };
      })
      .then(async (answer: Answer) => {
        if (typeof answer.body === "string") {
          if (idempotent) await idempotent.finish(answer.status, answer.body);
          if (!res.headersSent && !res.destroyed) {
            headers["content-type"] = JSON_CONTENT_TYPE;
            headers["content-length"] = Buffer.byteLength(answer.body);
            res.writeHead(answer.status, headers);
            res.end(answer.body);
          }
        } else if (!res.headersSent && !res.destroyed && "headers" in answer) {
          for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
          headers["content-length"] = answer.body.byteLength;
          res.writeHead(answer.status, headers);
          res.end(answer.body);
        }
      })
      .catch((error: unknown) => logger.error({ err: error, request_id: requestId }, "failed to write the response"))
      .finally(() => {
        const status = res.statusCode;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const httpRoute = route?.template.source ?? "unmatched";
        metrics.httpServerActiveRequests.dec({ http_request_method: httpMethod });
        metrics.httpServerRequestDuration.observe({ http_request_method: httpMethod, http_route: httpRoute, http_response_status_code: String(status) }, seconds);
        const line = {
          request_id: requestId,
          http_method: httpMethod,
          http_route: httpRoute,
          status,
          duration_ms: Math.round(seconds * 1e5) / 100,
          ...(access.workspaceId ? { workspace_id: access.workspaceId } : {}),
          ...(route ? { upstream: route.upstream } : {}),
          ...(disconnect.aborted ? { client_closed: true } : {}),
        };
        if (status >= 500) logger.error({ ...line, err: failure }, "request failed");
        else logger.info(line, "request");
      });
  };

  function applyRateLimit(headers: Record<string, string | number>, decision: RateLimitDecision, rateLimitClass: string): void {
    headers["x-ratelimit-limit"] = String(decision.limit);
    headers["x-ratelimit-remaining"] = String(decision.remaining);
    headers["x-ratelimit-reset"] = String(Math.ceil(decision.resetAt / 1000));
    if (!decision.allowed) {
      metrics.rateLimitRejections.inc({ rate_limit_class: rateLimitClass });
      const retryAfter = Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
      throw new HttpError(429, "TOO_MANY_REQUESTS", `Rate limit exceeded. Try again in ${retryAfter} seconds.`, undefined, { "retry-after": String(retryAfter) });
    }
  }
}

// The request target's path and query as sent; a fragment (which clients should not send) is dropped,
// as the URL parser drops it. Cheaper than a URL object per request.
function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  const hash = target.indexOf("#");
  const withoutFragment = hash < 0 ? target : target.slice(0, hash);
  const question = withoutFragment.indexOf("?");
  return question < 0 ? { rawPath: withoutFragment, rawQuery: "" } : { rawPath: withoutFragment.slice(0, question), rawQuery: withoutFragment.slice(question + 1) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Malformed parameters and bodies are the caller's mistake: 400 naming what was wrong.
function transcodingError(error: unknown): HttpError {
  if (error instanceof ParameterError) return new HttpError(400, "BAD_REQUEST", error.message, { parameter: error.parameter });
  if (error instanceof BodyError) return new HttpError(400, "BAD_REQUEST", error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(400, "BAD_REQUEST", `Invalid request: ${message.replace(/^cannot decode /, "cannot read ")}`);
}
