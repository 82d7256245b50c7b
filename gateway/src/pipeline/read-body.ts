import type { IncomingMessage } from "node:http";
import { HttpError } from "../errors/http-error";

/** A request body: its text (for idempotency fingerprints) and its parsed JSON (undefined when empty). */
export interface JsonBody {
  text: string;
  json: unknown;
}

/**
 * Reads and parses a JSON request body: 413 beyond `limitBytes` (checked on Content-Length first,
 * then while reading), 415 for a content type other than JSON, 400 for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<JsonBody> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limitBytes) {
    req.resume(); // drain without buffering so the connection can be reused
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  if (size === 0) return { text: "", json: undefined };
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "The request body must be JSON (Content-Type: application/json)");
  }
  const text = Buffer.concat(chunks, size).toString("utf8");
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    throw new HttpError(400, "BAD_REQUEST", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `The request body exceeds ${limitBytes} bytes`);
}
