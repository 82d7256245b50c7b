import {
  connect as connectHttp2,
  constants as h2,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from "node:http2";
import { connect as connectSocket } from "node:net";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { decodeGrpcMessage, grpcStatusOfHttpStatus, grpcStatusOfReset, MessageReader, parseGrpcStatus } from "./grpc-wire";

/** Where one channel connects: a TCP address (already resolved) or a Unix socket. */
export type ChannelAddress = { host: string; port: number } | { socketPath: string };

/** How a channel behaves; the pool sets these once for all. */
export interface ChannelOptions {
  /** Ping a connection carrying calls this often (0: never) ... */
  keepaliveTimeMs: number;
  /** ... and drop it when the ping is not answered within this time. */
  keepaliveTimeoutMs: number;
  /** A response message above this size fails with RESOURCE_EXHAUSTED. */
  maxReceiveMessageBytes: number;
  /** After a failed connection attempt, calls fail at once for this long, doubling on each failure up to `max`. */
  reconnectBackoff: { initialMs: number; maxMs: number };
}

/** The end of one unary call on a channel. */
export type UnaryOutcome =
  | { ok: true; message: Buffer; headers: IncomingHttpHeaders }
  | {
      ok: false;
      code: GrpcStatus;
      details: string;
      /** Response headers and trailers (metadata and `grpc-status-details-bin`), when any arrived. */
      headers?: IncomingHttpHeaders;
      trailers?: IncomingHttpHeaders;
      /** The service never saw the call (its connection was refused or went away first): safe to send again. */
      unprocessed: boolean;
    };

/** A started call: cancel it (RST_STREAM CANCEL) when its caller goes away or its deadline passes. */
export interface UnaryHandle {
  cancel(): void;
}

/** Told how a unary call ended. */
export interface UnaryListener {
  onOutcome(outcome: UnaryOutcome): void;
}

const NOTHING_TO_CANCEL: UnaryHandle = { cancel() {} };

// Flow-control windows larger than HTTP/2's 64 KiB default, so that a large response is not
// stalled waiting for WINDOW_UPDATEs on a fast local network.
const STREAM_WINDOW_BYTES = 1 << 20;
const SESSION_WINDOW_BYTES = 1 << 24;

/**
 * One HTTP/2 connection to one address of a service, opened on first use and again after it
 * closes (GOAWAY, error, peer gone). While the last attempt to connect failed, calls fail at once
 * with UNAVAILABLE until the backoff elapses (as a gRPC channel in TRANSIENT_FAILURE does); the
 * next call after that tries again.
 */
export class Http2Channel {
  private session: ClientHttp2Session | undefined;
  private connectFailures = 0;
  private retryAt = 0;
  private activeCalls = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly address: ChannelAddress,
    /** `:authority` of every request: the service's name as configured, not the resolved address. */
    private readonly authority: string,
    private readonly options: ChannelOptions,
    /** Told when a connection could not be opened or went away: the pool re-resolves the name. */
    private readonly onTrouble: () => void = () => {},
  ) {}

  get maxReceiveMessageBytes(): number {
    return this.options.maxReceiveMessageBytes;
  }

  /** A string naming the address (`10.0.0.7:50104`), for keys and messages. */
  get key(): string {
    return addressKey(this.address);
  }

  /** The last attempt to connect failed and nothing is connected (readiness). */
  get failing(): boolean {
    return this.session === undefined && this.connectFailures > 0;
  }

  /** A call may be sent now: connected or connecting, or the backoff after a failure has elapsed. */
  get usable(): boolean {
    return this.session !== undefined || this.connectFailures === 0 || Date.now() >= this.retryAt;
  }

  /**
   * Sends one unary call: HEADERS (`headers` must hold `:path`, content-type, te, grpc-timeout and
   * the metadata) and one DATA frame with the length-prefixed request, then reads the response
   * message and the status from the trailers, or from the headers of a trailers-only response.
   * `listener.onOutcome` is called exactly once, unless the call is cancelled first.
   */
  unary(headers: OutgoingHttpHeaders, frame: Buffer, listener: UnaryListener): UnaryHandle {
    const session = this.connected();
    headers[":authority"] = this.authority;
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream: false });
    } catch (error) {
      // The session was closing (GOAWAY under way); nothing reached the service.
      if (this.session === session) this.session = undefined;
      listener.onOutcome({ ok: false, code: GrpcStatus.UNAVAILABLE, details: (error as Error).message, unprocessed: true });
      return NOTHING_TO_CANCEL;
    }
    this.activeCalls++;
    const call = new StreamCall(this, session, stream, listener);
    (stream as CallStream)[CALL] = call;
    // Shared listener functions (the call is found on the stream), not closures per call.
    stream.on("response", onResponse);
    stream.on("data", onData);
    stream.on("trailers", onTrailers);
    stream.on("end", onEnd);
    stream.on("error", ignoreError); // the reset code is read when the stream closes
    stream.on("close", onClose);
    stream.end(frame);
    return call;
  }

  /** A call on this channel ended (for keepalive: pings only while calls are in flight). */
  callEnded(): void {
    this.activeCalls--;
  }

  /** Closes the connection; calls in flight end first. */
  close(): void {
    this.closed = true;
    this.stopKeepalive();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    if (session && !session.destroyed) session.close();
  }

  // The open (or opening) session; requests made while it connects are queued by node:http2.
  private connected(): ClientHttp2Session {
    const existing = this.session;
    if (existing && !existing.destroyed && !existing.closed) return existing;
    const address = this.address;
    // The socket is made here so that Nagle's algorithm is off (small frames go out at once), as grpc-js does.
    const session = connectHttp2("http://localhost", {
      createConnection: () => ("socketPath" in address ? connectSocket(address.socketPath) : connectSocket({ host: address.host, port: address.port, noDelay: true })),
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW_BYTES },
      // As grpc-js: node's session memory check degrades badly when reached; calls are bounded by deadlines instead.
      maxSessionMemory: Number.MAX_SAFE_INTEGER,
    });
    this.session = session;
    let established = false;
    session.once("connect", () => {
      established = true;
      this.connectFailures = 0;
      session.setLocalWindowSize(SESSION_WINDOW_BYTES);
      this.startKeepalive();
    });
    session.on("error", () => {}); // a refused or dropped connection: its calls learn it on their streams, readiness on close
    session.once("goaway", () => {
      // The service is shutting down or rotating connections: new calls open a new one.
      if (this.session === session) this.session = undefined;
      this.onTrouble();
    });
    session.once("close", () => {
      if (this.session === session) this.session = undefined;
      if (this.session === undefined) this.stopKeepalive();
      if (!established && !this.closed) {
        this.connectFailures++;
        const backoff = this.options.reconnectBackoff;
        const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (this.connectFailures - 1));
        this.retryAt = Date.now() + delay;
        // Keep trying in the background too, so that readiness recovers with no traffic (an
        // unready gateway gets none) and the first call after recovery finds a connection.
        if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => {
          this.reconnectTimer = undefined;
          if (!this.closed && this.session === undefined) this.connected();
        }, delay);
        this.reconnectTimer.unref();
      }
      if (!this.closed) this.onTrouble();
    });
    // An idle connection does not keep the process alive; a call's deadline timer does.
    session.unref();
    return session;
  }

  // gRFC A8 keepalive: a connection carrying calls is pinged every keepaliveTimeMs, and dropped
  // (its calls fail UNAVAILABLE, the next call reconnects) when the ping goes unanswered.
  private startKeepalive(): void {
    if (this.options.keepaliveTimeMs <= 0 || this.keepaliveTimer) return;
    this.keepaliveTimer = setInterval(() => {
      const session = this.session;
      if (!session || session.destroyed || this.activeCalls === 0) return;
      const timeout = setTimeout(() => session.destroy(), this.options.keepaliveTimeoutMs);
      timeout.unref();
      const sent = session.ping((error) => {
        clearTimeout(timeout);
        if (error) session.destroy();
      });
      if (!sent) clearTimeout(timeout);
    }, this.options.keepaliveTimeMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
  }
}

/** `10.0.0.7:50104`, `[::1]:50104`, `unix:/run/tags.sock` */
export function addressKey(address: ChannelAddress): string {
  if ("socketPath" in address) return `unix:${address.socketPath}`;
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

const CALL = Symbol("unary call");
type CallStream = ClientHttp2Stream & { [CALL]: StreamCall };

function onResponse(this: CallStream, headers: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
  this[CALL].onResponse(headers);
}
function onData(this: CallStream, chunk: Buffer): void {
  this[CALL].onData(chunk);
}
function onTrailers(this: CallStream, trailers: IncomingHttpHeaders): void {
  this[CALL].trailers = trailers;
}
function onEnd(this: CallStream): void {
  this[CALL].settle(false);
}
function onClose(this: CallStream): void {
  this[CALL].settle(true);
}
function ignoreError(): void {}

/** What one unary call has received on its stream, and how it ends. */
class StreamCall implements UnaryHandle {
  private readonly reader: MessageReader;
  private responseHeaders: IncomingHttpHeaders | undefined;
  trailers: IncomingHttpHeaders | undefined;
  private failure: { code: GrpcStatus; details: string } | undefined;
  // A gRPC response (200, application/grpc): only its body is read as messages.
  private grpcBody = false;
  private finished = false;

  constructor(
    private readonly channel: Http2Channel,
    private readonly session: ClientHttp2Session,
    private readonly stream: ClientHttp2Stream,
    private readonly listener: UnaryListener,
  ) {
    this.reader = new MessageReader(channel.maxReceiveMessageBytes);
  }

  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.channel.callEnded();
    this.stream.close(h2.NGHTTP2_CANCEL);
  }

  onResponse(received: IncomingHttpHeaders & IncomingHttpStatusHeader): void {
    this.responseHeaders = received;
    const httpStatus = received[":status"];
    const contentType = received["content-type"];
    this.grpcBody = httpStatus === 200 && typeof contentType === "string" && contentType.startsWith("application/grpc");
    if (httpStatus === 200 && !this.grpcBody && received["grpc-status"] === undefined) {
      this.failure = { code: GrpcStatus.UNKNOWN, details: `Received content-type ${String(contentType)}, not gRPC` };
    }
  }

  onData(chunk: Buffer): void {
    if (this.failure || !this.grpcBody) return;
    const problem = this.reader.push(chunk);
    if (problem) {
      this.failure = problem;
      this.stream.close(h2.NGHTTP2_CANCEL);
    }
  }

  // Settles the call from what arrived: at the end of the stream once a status is known, else when it closes.
  settle(closing: boolean): void {
    if (this.finished) return;
    const { failure, trailers, responseHeaders, reader } = this;
    if (!closing && !failure && !trailers && responseHeaders?.["grpc-status"] === undefined) return;
    if (failure) {
      this.finish({ ok: false, ...failure, headers: responseHeaders, trailers, unprocessed: false });
      return;
    }
    const status = trailers ?? (responseHeaders?.["grpc-status"] !== undefined ? responseHeaders : undefined);
    if (status) {
      const code = parseGrpcStatus(status["grpc-status"]);
      if (code !== GrpcStatus.OK) {
        this.finish({ ok: false, code, details: decodeGrpcMessage(status["grpc-message"]), headers: responseHeaders, trailers, unprocessed: false });
      } else if (reader.count === 1 && !reader.incomplete) {
        this.finish({ ok: true, message: reader.message!, headers: responseHeaders! });
      } else {
        const details = reader.count === 0 ? "No message received" : "Response ended in the middle of a message";
        this.finish({ ok: false, code: reader.count === 0 ? GrpcStatus.UNIMPLEMENTED : GrpcStatus.INTERNAL, details, headers: responseHeaders, trailers, unprocessed: false });
      }
      return;
    }
    if (responseHeaders) {
      const httpStatus = Number(responseHeaders[":status"]);
      if (httpStatus !== 200) {
        this.finish({ ok: false, code: grpcStatusOfHttpStatus(httpStatus), details: `Received HTTP status code ${httpStatus}`, headers: responseHeaders, unprocessed: false });
        return;
      }
    }
    // No status: the stream was reset, or the connection went away under it.
    const stream = this.stream;
    const dropped = this.session.destroyed || this.session.closed;
    const reset = grpcStatusOfReset(stream.rstCode ?? h2.NGHTTP2_INTERNAL_ERROR, dropped);
    // REFUSED_STREAM (also what nghttp2 reports for streams beyond a GOAWAY's last stream id) means
    // the service never started the call; so does a stream without an id, still queued behind a
    // connection that never opened.
    const unprocessed = !responseHeaders && (stream.rstCode === h2.NGHTTP2_REFUSED_STREAM || stream.id === undefined);
    this.finish({ ok: false, ...reset, headers: responseHeaders, unprocessed });
  }

  private finish(outcome: UnaryOutcome): void {
    this.finished = true;
    this.channel.callEnded();
    this.listener.onOutcome(outcome);
  }
}
