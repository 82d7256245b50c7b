import { lookup as dnsLookup } from "node:dns/promises";
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapSetter } from "@opentelemetry/api";
import { Metadata, status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceError, serviceErrorFromGrpc } from "@velaflows/kit";
import { encodeBinaryHeader, encodeGrpcTimeout, frameMessage, metadataEntries } from "./grpc-wire";
import { parseGrpcTarget, type GrpcTarget } from "./grpc-target";
import { addressKey, Http2Channel, type ChannelAddress, type ChannelOptions, type UnaryHandle, type UnaryListener, type UnaryOutcome } from "./http2-channel";

/**
 * The metadata of an upstream call: ASCII values, and `Uint8Array` values under `-bin` keys
 * (sent base64-encoded, as gRPC defines).
 */
export type UpstreamMetadata = Record<string, string | Uint8Array>;

/**
 * What tells a call that its caller has gone. An `AbortSignal` is one (the Connect edge's); the
 * REST path uses a lighter object with the same two methods.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/** A listener object (EventTarget's form), so that a call needs no closure to listen. */
export interface AbortListener {
  handleEvent(): void;
}

/** One call to a service, as the gateway makes it: already-encoded request bytes in, bytes out. */
export interface UpstreamCall {
  upstream: string;
  /** "/velaflows.tags.v1.TagsService/ListTags" */
  path: string;
  request: Uint8Array;
  metadata: UpstreamMetadata;
  deadline: Date;
  /** Fires when the client goes away: the gRPC call is cancelled (RST_STREAM CANCEL). */
  signal?: CancelSignal;
}

/** The gateway's connections to the services, one set per service, created on first use. */
export interface UpstreamPool {
  call(call: UpstreamCall): Promise<Buffer>;
  /** Services none of whose addresses can be connected to (for /readyz). */
  failing(): string[];
  /** Services a connection has been opened to. */
  connected(): string[];
  close(): void;
}

/** Tuning of the pool; the defaults are the gateway's. */
export interface UpstreamPoolOptions {
  /** Ping connections carrying calls this often, 0 to never (default 60 s, as before with grpc-js). */
  keepaliveTimeMs?: number;
  /** Drop a connection whose ping is not answered within this time (default 20 s). */
  keepaliveTimeoutMs?: number;
  /** Largest response message (default 16 MiB). */
  maxReceiveMessageBytes?: number;
  /** Fail-fast window after a failed connection attempt, doubling up to `maxMs` (default 1 s to 10 s). */
  reconnectBackoff?: { initialMs: number; maxMs: number };
  /** Resolved addresses of a DNS name are looked up again after this long (default 30 s) ... */
  resolveIntervalMs?: number;
  /** ... or when a connection fails or is closed by the service, at most this often (default 1 s). */
  minResolveIntervalMs?: number;
  /** The system resolver unless given (tests stand in for a headless Service's changing records). */
  lookup?: (host: string) => Promise<string[]>;
}

const tracer = trace.getTracer("@velaflows/gateway");
const headerSetter: TextMapSetter<OutgoingHttpHeaders> = {
  set: (headers, key, value) => {
    headers[key] = value;
  },
};

/**
 * A lean unary gRPC client over `node:http2` (no generated code: messages are encoded by the
 * gateway from the descriptors): one HTTP/2 connection per address of a service, calls spread
 * round-robin over every address its name resolves to (`dns:///tags.velaflows.svc:50104` against a
 * headless Service), a deadline on every call (sent as `grpc-timeout`), the caller's trace context
 * in `traceparent` under a client span. An upstream without an address, or that cannot be
 * reached, answers UNAVAILABLE.
 */
export function createUpstreamPool(addressOf: (upstream: string) => string | undefined, options: UpstreamPoolOptions = {}): UpstreamPool {
  const channelOptions: ChannelOptions = {
    keepaliveTimeMs: options.keepaliveTimeMs ?? 60_000,
    keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? 20_000,
    maxReceiveMessageBytes: options.maxReceiveMessageBytes ?? 16 * 1024 * 1024,
    reconnectBackoff: options.reconnectBackoff ?? { initialMs: 1_000, maxMs: 10_000 },
  };
  const resolver: ResolverOptions = {
    intervalMs: options.resolveIntervalMs ?? 30_000,
    minIntervalMs: options.minResolveIntervalMs ?? 1_000,
    backoff: channelOptions.reconnectBackoff,
    lookup: options.lookup ?? (async (host) => (await dnsLookup(host, { all: true })).map((entry) => entry.address)),
  };
  const balancers = new Map<string, UpstreamBalancer>();
  let closed = false;

  const balancerFor = (upstream: string): UpstreamBalancer => {
    let balancer = balancers.get(upstream);
    if (!balancer) {
      const address = addressOf(upstream);
      if (!address || closed) throw unavailable(upstream);
      let target: GrpcTarget;
      try {
        target = parseGrpcTarget(address);
      } catch (error) {
        throw unavailable(upstream, error);
      }
      balancer = new UpstreamBalancer(target, channelOptions, resolver);
      balancers.set(upstream, balancer);
    }
    return balancer;
  };

  return {
    call(call) {
      let balancer: UpstreamBalancer;
      try {
        balancer = balancerFor(call.upstream);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<Buffer>((resolve, reject) => new PendingCall(balancer, call, resolve, reject));
    },
    connected: () => [...balancers.keys()],
    failing: () => [...balancers].filter(([, balancer]) => balancer.failing).map(([name]) => name),
    close() {
      closed = true;
      for (const balancer of balancers.values()) balancer.close();
      balancers.clear();
    },
  };
}

// One call, from headers to settled promise: the deadline timer, the caller's cancellation, one
// transparent retry on another connection when the first never reached the service, the span.
// A class rather than closures: it is made once per request on the gateway's hot path.
class PendingCall implements UnaryListener {
  private settled = false;
  private attempts = 0;
  private handle: UnaryHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private span: Span | undefined;
  private readonly headers: OutgoingHttpHeaders;
  private readonly frame: Buffer;

  constructor(
    private readonly balancer: UpstreamBalancer,
    private readonly call: UpstreamCall,
    private readonly resolve: (response: Buffer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const signal = call.signal;
    const remainingMs = call.deadline.getTime() - Date.now();
    if (signal?.aborted || remainingMs <= 0) {
      this.settled = true;
      this.headers = {};
      this.frame = EMPTY;
      if (signal?.aborted) reject(callError(call.upstream, GrpcStatus.CANCELLED, "Cancelled on client"));
      else reject(callError(call.upstream, GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded before the call was sent"));
      return;
    }
    const headers: OutgoingHttpHeaders = {
      ":method": "POST",
      ":scheme": "http",
      ":path": call.path,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": encodeGrpcTimeout(remainingMs),
    };
    const metadata = call.metadata;
    for (const key in metadata) {
      const value = metadata[key]!;
      headers[key] = typeof value === "string" ? value : encodeBinaryHeader(value);
    }
    this.headers = headers;
    this.span = startClientSpan(call.path, headers);
    this.frame = frameMessage(call.request);
    this.timer = setTimeout(onDeadline, remainingMs, this, remainingMs);
    signal?.addEventListener("abort", this, { once: true });

    const channel = balancer.pick();
    if (channel) this.send(channel);
    else if (balancer.resolved) this.fail(GrpcStatus.UNAVAILABLE, "No address of the service can be connected to");
    else {
      balancer.firstResolution().then(() => {
        if (this.settled) return;
        const first = balancer.pick();
        if (first) this.send(first);
        else this.fail(GrpcStatus.UNAVAILABLE, balancer.resolveError ? `Name resolution failed: ${balancer.resolveError.message}` : "The name resolved to no address");
      }, reject);
    }
  }

  /** The caller went away (the signal's "abort" event). */
  handleEvent(): void {
    this.fail(GrpcStatus.CANCELLED, "Cancelled on client");
  }

  onOutcome(outcome: UnaryOutcome): void {
    if (this.settled) return;
    this.handle = undefined;
    if (outcome.ok) {
      this.done(GrpcStatus.OK, "");
      this.resolve(outcome.message);
      return;
    }
    // Nothing reached the service (refused stream, connection gone before sending): once more elsewhere.
    if (outcome.unprocessed && this.attempts < 2) {
      const next = this.balancer.pick();
      if (next) {
        this.send(next);
        return;
      }
    }
    this.done(outcome.code, outcome.details);
    this.reject(callError(this.call.upstream, outcome.code, outcome.details, outcome.trailers ?? outcome.headers));
  }

  fail(code: GrpcStatus, details: string): void {
    if (this.settled) return;
    this.done(code, details);
    this.handle?.cancel();
    this.reject(callError(this.call.upstream, code, details));
  }

  private send(channel: Http2Channel): void {
    const attempt = ++this.attempts;
    const handle = channel.unary(this.headers, this.frame, this);
    // The outcome may have come at once (and a retry started): keep only the live attempt's handle.
    if (!this.settled && attempt === this.attempts) this.handle = handle;
  }

  private done(code: GrpcStatus, details: string): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.call.signal?.removeEventListener("abort", this);
    endSpan(this.span!, code, details);
  }
}

const EMPTY = Buffer.alloc(0);

function onDeadline(call: PendingCall, timeoutMs: number): void {
  call.fail(GrpcStatus.DEADLINE_EXCEEDED, `Deadline exceeded after ${timeoutMs} ms`);
}

// The client span grpc-js's instrumentation used to record, and the trace context in the
// metadata (`traceparent`, `tracestate`) so the service's spans continue the caller's trace.
function startClientSpan(path: string, headers: OutgoingHttpHeaders): Span {
  let names = spanNames.get(path);
  if (!names) {
    const name = path.slice(1);
    const slash = name.lastIndexOf("/");
    names = { span: `grpc.${name}`, attributes: { "rpc.system": "grpc", "rpc.service": name.slice(0, slash), "rpc.method": name.slice(slash + 1) } };
    spanNames.set(path, names);
  }
  const active = context.active();
  const span = tracer.startSpan(names.span, CLIENT_SPAN, active);
  if (span.isRecording()) span.setAttributes(names.attributes);
  propagation.inject(trace.setSpan(active, span), headers, headerSetter);
  return span;
}

const CLIENT_SPAN = { kind: SpanKind.CLIENT } as const;
// Per RPC path: the span's name and attributes, computed once.
const spanNames = new Map<string, { span: string; attributes: Attributes }>();

function endSpan(span: Span, code: GrpcStatus, details: string): void {
  if (span.isRecording()) {
    span.setAttribute("rpc.grpc.status_code", code);
    if (code !== GrpcStatus.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: details });
  }
  span.end();
}

/** A failed call as grpc-js reported one (code, details, trailing metadata): the `cause` of the ServiceError. */
export class GrpcCallError extends Error {
  override name = "GrpcCallError";
  constructor(
    readonly code: GrpcStatus,
    readonly details: string,
    readonly metadata: Metadata,
  ) {
    super(`${code} ${GrpcStatus[code]}: ${details}`);
  }
}

// The same ServiceError as before for the error mapper: typed details from grpc-status-details-bin,
// and a service that cannot be reached is UNAVAILABLE with a message naming it.
function callError(upstream: string, code: GrpcStatus, details: string, headers?: IncomingHttpHeaders): ServiceError {
  const metadata = new Metadata();
  if (headers) {
    for (const [key, value] of metadataEntries(headers)) {
      try {
        metadata.add(key, value);
      } catch {
        // A key grpc-js would refuse: it carries nothing the error mapper reads.
      }
    }
  }
  const cause = new GrpcCallError(code, details, metadata);
  if (code === GrpcStatus.UNAVAILABLE) return unavailable(upstream, cause);
  return serviceErrorFromGrpc(cause);
}

function unavailable(upstream: string, cause?: unknown): ServiceError {
  return new ServiceError(GrpcStatus.UNAVAILABLE, `The ${upstream} service is not available`, { cause });
}

interface ResolverOptions {
  intervalMs: number;
  minIntervalMs: number;
  backoff: { initialMs: number; maxMs: number };
  lookup: (host: string) => Promise<string[]>;
}

/**
 * The connections to one service: one channel per address its target resolves to, picked in turn,
 * skipping those in backoff after a failed connection. A DNS name is resolved before the first
 * call, again in the background once its answer is older than the interval, and when a
 * connection fails or is closed (a pod replaced behind a headless Service). Channels of addresses
 * that disappear are closed once their calls end.
 */
class UpstreamBalancer {
  private channels: Http2Channel[] = [];
  private next = 0;
  private resolvedAt = 0;
  private resolving: Promise<void> | undefined;
  private resolveFailures = 0;
  private resolveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  resolved = false;
  resolveError: Error | undefined;

  constructor(
    private readonly target: GrpcTarget,
    private readonly channelOptions: ChannelOptions,
    private readonly resolver: ResolverOptions,
  ) {
    if (target.kind === "static") {
      this.apply(target.addresses);
      this.resolved = true;
    } else {
      void this.resolve();
    }
  }

  /** No address can be connected to, or the name does not resolve. */
  get failing(): boolean {
    if (!this.resolved) return false;
    if (this.channels.length === 0) return true;
    for (const channel of this.channels) if (!channel.failing) return false;
    return true;
  }

  /** The next usable channel in turn, or none when every address is in backoff. */
  pick(): Http2Channel | undefined {
    if (this.target.kind === "dns" && this.resolved && !this.resolving && Date.now() - this.resolvedAt >= this.resolver.intervalMs) void this.resolve();
    const channels = this.channels;
    const count = channels.length;
    for (let i = 0; i < count; i++) {
      const index = (this.next + i) % count;
      const channel = channels[index]!;
      if (channel.usable) {
        this.next = (index + 1) % count;
        return channel;
      }
    }
    return undefined;
  }

  firstResolution(): Promise<void> {
    return this.resolving ?? Promise.resolve();
  }

  close(): void {
    this.closed = true;
    if (this.resolveTimer) clearTimeout(this.resolveTimer);
    for (const channel of this.channels) channel.close();
    this.channels = [];
  }

  // A connection failed or was closed: look the name up again, unless that was done a moment ago.
  private onTrouble = (): void => {
    if (this.target.kind !== "dns" || this.closed || this.resolving) return;
    if (Date.now() - this.resolvedAt >= this.resolver.minIntervalMs) void this.resolve();
  };

  private resolve(): Promise<void> {
    const target = this.target;
    if (target.kind !== "dns") return Promise.resolve();
    this.resolving = (async () => {
      try {
        const found = await this.resolver.lookup(target.host);
        if (this.closed) return;
        this.resolveError = undefined;
        this.resolveFailures = 0;
        this.apply([...new Set(found)].map((host) => ({ host, port: target.port })));
      } catch (error) {
        // Keep the addresses known so far: a DNS hiccup must not take a healthy service away.
        this.resolveError = error instanceof Error ? error : new Error(String(error));
        this.resolveFailures++;
        if (!this.closed && this.channels.length === 0) {
          const backoff = this.resolver.backoff;
          this.resolveTimer = setTimeout(() => void this.resolve(), Math.min(backoff.maxMs, backoff.initialMs * 2 ** (this.resolveFailures - 1)));
          this.resolveTimer.unref();
        }
      } finally {
        this.resolvedAt = Date.now();
        this.resolved = true;
        this.resolving = undefined;
      }
    })();
    return this.resolving;
  }

  private apply(addresses: ChannelAddress[]): void {
    const existing = new Map(this.channels.map((channel) => [channel.key, channel]));
    const channels = addresses.map((address) => {
      const key = addressKey(address);
      const kept = existing.get(key);
      existing.delete(key);
      return kept ?? new Http2Channel(address, this.target.authority, this.channelOptions, this.onTrouble);
    });
    for (const gone of existing.values()) gone.close();
    this.channels = channels;
    if (this.next >= channels.length) this.next = 0;
  }
}
