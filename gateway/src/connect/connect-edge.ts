import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { DescMethodUnary, FileRegistry } from "@bufbuild/protobuf";
import { Code, ConnectError, createConnectRouter, createContextValues } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import { clientIpOf } from "../pipeline/client-ip";
import type { CorsOptions } from "../pipeline/response-headers";
import type { PartialHandler } from "../server/gateway-server";
import { applyConnectCors } from "./connect-cors";
import { connectMethods } from "./connect-methods";
import { clientIpKey, forwardUnaryCall, type UnaryForwarderOptions } from "./forward-unary-call";

/** What the Connect edge is built from. */
export interface ConnectEdgeOptions extends UnaryForwarderOptions {
  /** The descriptor set: every unary method of every `velaflows.<name>.v1` service is served. */
  registry: FileRegistry;
  /** The largest request message accepted (the REST body limit). */
  bodyLimitBytes: number;
  /** Read the client address from X-Forwarded-For (behind a trusted proxy or ingress). */
  trustProxy: boolean;
  /** Browser origins allowed on the HTTP/1.1 port. */
  cors: CorsOptions;
}

/** The Connect, gRPC-Web and gRPC edge, ready to mount on the gateway's servers. */
export interface ConnectEdge {
  /** For the HTTP/1.1 server: takes requests to a procedure path (with CORS); everything else falls through. */
  http1: PartialHandler;
  /** For the h2c server: serves every procedure and answers 404 (gRPC: UNIMPLEMENTED) to any other path. */
  http2(req: Http2ServerRequest, res: Http2ServerResponse): void;
  /** Every procedure served, e.g. "/velaflows.tags.v1.TagsService/CreateTag". */
  procedures: ReadonlySet<string>;
}

/**
 * Builds the Connect edge from the descriptors alone, like the REST routes: one forwarding
 * implementation per unary method (no generated code, no per-service code), behind the same
 * authentication, authorization, rate limits and validation as `/api/v1`. All three protocols
 * (Connect, gRPC-Web, gRPC) are enabled; which ones a port carries depends on its HTTP version.
 *
 * The router is mounted directly rather than through `connectNodeAdapter`, so that paths which are
 * not procedures fall through to the rest of the gateway, and a response that cannot be written
 * (the client left at its deadline) is logged through our logger instead of `console.error`.
 */
export function createConnectEdge(options: ConnectEdgeOptions): ConnectEdge {
  const { logger } = options;
  const router = createConnectRouter({
    readMaxBytes: options.bodyLimitBytes,
    jsonOptions: { registry: options.registry },
    acceptCompression: [compressionGzip, compressionBrotli],
  });
  const methods = connectMethods(options.registry);
  for (const target of methods) {
    // Only unary methods are listed; the implementation is generic over the message type.
    router.rpc(target.method as DescMethodUnary, forwardUnaryCall(target, options));
  }
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));

  const serve = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): boolean => {
    const handler = handlers.get((req.url ?? "/").split("?")[0]!);
    if (!handler) return false;
    const contextValues = createContextValues().set(clientIpKey, clientIpOf(req, options.trustProxy));
    handler(universalRequestFromNodeRequest(req, res, undefined, contextValues))
      .then((response) => universalResponseToNodeResponse(response, res))
      .catch((reason: unknown) => {
        const gone = res.destroyed || ConnectError.from(reason).code === Code.Aborted;
        logger[gone ? "debug" : "error"]({ err: reason, rpc_method: handler.requestPath }, "could not write the RPC response");
      });
    return true;
  };

  return {
    procedures: new Set(methods.map((m) => m.procedure)),
    http1: (req, res) => handlers.has((req.url ?? "/").split("?")[0]!) && (applyConnectCors(req, res, options.cors) || serve(req, res)),
    http2(req, res) {
      if (!serve(req, res)) res.writeHead(404).end();
    },
  };
}
