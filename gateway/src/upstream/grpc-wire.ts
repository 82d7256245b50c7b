import { constants as h2 } from "node:http2";
import { status as GrpcStatus } from "@grpc/grpc-js";

// gRPC over HTTP/2 as grpc/doc/PROTOCOL-HTTP2.md defines it, for the gateway's unary client: the
// pieces that are pure functions of bytes and headers.

/** Headers of a gRPC response that are the protocol's, not the service's metadata. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "content-type",
  "grpc-status",
  "grpc-message",
  "grpc-encoding",
  "grpc-accept-encoding",
  "te",
  "user-agent",
  "date",
  "server",
]);

/** One length-prefixed message: compressed flag 0, 4-byte big-endian length, the bytes. */
export function frameMessage(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame[0] = 0;
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  return frame;
}

/**
 * The `grpc-timeout` header for a remaining time in milliseconds: at most 8 digits, so the unit
 * grows with the value (milliseconds up to ~27 hours, then seconds, then hours). Rounded up, so
 * the service never sees a shorter deadline than the gateway's timer.
 */
export function encodeGrpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  if (whole < 100_000_000) return `${whole}m`;
  const seconds = Math.ceil(whole / 1000);
  if (seconds < 100_000_000) return `${seconds}S`;
  return `${Math.min(99_999_999, Math.ceil(seconds / 3600))}H`;
}

/** A `-bin` metadata value as sent: base64 without padding (receivers accept both). */
export function encodeBinaryHeader(value: Uint8Array): string {
  const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * `grpc-message` is percent-encoded UTF-8. A malformed encoding is shown as received rather than
 * losing the status.
 */
export function decodeGrpcMessage(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The code in a `grpc-status` header; anything unparseable is UNKNOWN. */
export function parseGrpcStatus(value: string | string[] | undefined): GrpcStatus {
  const text = Array.isArray(value) ? value[0] : value;
  const code = Number(text);
  return Number.isInteger(code) && code >= 0 && code <= 16 && text !== "" ? (code as GrpcStatus) : GrpcStatus.UNKNOWN;
}

/** A response that is not gRPC (a proxy's error page, a plain HTTP server): its HTTP status as a gRPC code. */
export function grpcStatusOfHttpStatus(httpStatus: number): GrpcStatus {
  switch (httpStatus) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

/** A stream reset before any status arrived, as the status a gRPC client reports (grpc-js's mapping). */
export function grpcStatusOfReset(rstCode: number, connectionDropped: boolean): { code: GrpcStatus; details: string } {
  switch (rstCode) {
    case h2.NGHTTP2_REFUSED_STREAM:
      return { code: GrpcStatus.UNAVAILABLE, details: "Stream refused by server" };
    case h2.NGHTTP2_CANCEL:
      // Node reports a dropped connection as CANCEL on every stream it carried.
      return connectionDropped
        ? { code: GrpcStatus.UNAVAILABLE, details: "Connection dropped" }
        : { code: GrpcStatus.CANCELLED, details: "Cancelled by server" };
    case h2.NGHTTP2_ENHANCE_YOUR_CALM:
      return { code: GrpcStatus.RESOURCE_EXHAUSTED, details: "Bandwidth exhausted or memory limit exceeded" };
    case h2.NGHTTP2_INADEQUATE_SECURITY:
      return { code: GrpcStatus.PERMISSION_DENIED, details: "Protocol not secure enough" };
    default:
      return connectionDropped
        ? { code: GrpcStatus.UNAVAILABLE, details: "Connection dropped" }
        : { code: GrpcStatus.INTERNAL, details: `Received RST_STREAM with code ${rstCode}` };
  }
}

/** The service's metadata among response headers or trailers (`-bin` values decoded). */
export function metadataEntries(headers: Record<string, string | string[] | undefined>): [string, string | Buffer][] {
  const entries: [string, string | Buffer][] = [];
  for (const key of Object.keys(headers)) {
    if (key.charCodeAt(0) === 58 /* : */ || RESERVED_HEADERS.has(key)) continue;
    const raw = headers[key];
    for (const value of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
      if (key.endsWith("-bin")) {
        // Several values of one -bin key may arrive joined by commas.
        for (const part of value.split(",")) entries.push([key, Buffer.from(part.trim(), "base64")]);
      } else {
        entries.push([key, value]);
      }
    }
  }
  return entries;
}

/**
 * Collects the length-prefixed messages of a unary response from DATA chunks of any size: a
 * message split over frames, or several in one chunk. The common case (one whole message in one
 * chunk) is a view of that chunk, not a copy.
 */
export class MessageReader {
  /** The first message, once complete. */
  message: Buffer | undefined;
  /** Complete messages read so far. */
  count = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  // The size of the frame the pending bytes begin (prefix included), once its prefix is known.
  private pendingFrameBytes = 0;

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds a chunk; returns an error status if the response breaks the protocol or the size limit. */
  push(chunk: Buffer): { code: GrpcStatus; details: string } | undefined {
    let buffer = chunk;
    if (this.pendingBytes > 0) {
      // A large message arrives in many chunks: they are joined once, when the message is complete.
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < (this.pendingFrameBytes || 5)) return undefined;
      buffer = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingFrameBytes = 0;
    }
    let offset = 0;
    while (buffer.length - offset >= 5) {
      const compressed = buffer[offset]!;
      const length = buffer.readUInt32BE(offset + 1);
      if (compressed !== 0) {
        // The gateway never advertises grpc-accept-encoding, so a service has no reason to compress.
        return { code: GrpcStatus.INTERNAL, details: "Received a compressed message, which was not requested" };
      }
      if (length > this.maxMessageBytes) {
        return { code: GrpcStatus.RESOURCE_EXHAUSTED, details: `Received message larger than max (${length} vs. ${this.maxMessageBytes})` };
      }
      if (buffer.length - offset - 5 < length) {
        this.pendingFrameBytes = 5 + length;
        break;
      }
      this.count++;
      if (this.count > 1) return { code: GrpcStatus.UNIMPLEMENTED, details: "Too many responses received" };
      this.message = buffer.subarray(offset + 5, offset + 5 + length);
      offset += 5 + length;
    }
    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
    return undefined;
  }

  /** True when bytes of an unfinished message are left over at the end of the stream. */
  get incomplete(): boolean {
    return this.pendingBytes > 0;
  }
}
