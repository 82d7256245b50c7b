import { context, propagation, trace, type Context, type TextMapGetter } from "@opentelemetry/api";

const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/**
 * The context an RPC's upstream call runs in, so that the (instrumented) grpc-js client continues
 * the caller's trace. connect-node is not instrumented: on the h2c port nothing has read the
 * caller's `traceparent`, so it is extracted here. On the HTTP/1.1 port the http instrumentation
 * has already started a server span as its child; that span stays the parent.
 */
export function incomingTraceContext(requestHeader: Headers, active: Context = context.active()): Context {
  if (trace.getSpanContext(active)) return active;
  return propagation.extract(active, requestHeader, headersGetter);
}
