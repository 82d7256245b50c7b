import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/** What identifies a request for idempotency: the same key must come back with the same request. */
export interface RequestFingerprintInput {
  /** The HTTP method; compared case-insensitively. */
  method: string;
  /** The path and query as received, e.g. "/api/v1/tags?dryRun=true". Query parameters may come in any order. */
  pathAndQuery: string;
  /** The request body; absent and empty are the same. */
  body?: Uint8Array | string;
  /** The caller, e.g. "token:<id>" or "user:<id>". */
  principalKey: string;
  /** The `x-workspace-id` of the request, if any. */
  workspaceId?: string;
}

/**
 * SHA-256 (hex) over the request as the gateway will run it: method, path, query (parameters
 * sorted by name, repeated ones kept in order), the canonical body and the caller's identity
 * (principal and workspace). A JSON body is canonicalised by `canonicalJson` (key order and
 * whitespace do not matter, number text does); any other body (not UTF-8, not JSON) counts byte
 * for byte. Reusing a key with a request of another fingerprint is a mismatch.
 */
export function requestFingerprint(input: RequestFingerprintInput): string {
  const hash = createHash("sha256");
  // A JSON array of the text fields cannot be confused with another split of the same characters,
  // and cannot contain a raw newline, so the body bytes that follow the newline stay apart.
  hash.update(
    JSON.stringify([input.method.toUpperCase(), canonicalPathAndQuery(input.pathAndQuery), input.principalKey, input.workspaceId ?? null]),
  );
  hash.update("\n");
  hash.update(canonicalBody(input.body));
  return hash.digest("hex");
}

function canonicalPathAndQuery(pathAndQuery: string): string {
  const mark = pathAndQuery.indexOf("?");
  if (mark < 0) return pathAndQuery;
  const params = new URLSearchParams(pathAndQuery.slice(mark + 1));
  params.sort();
  const query = params.toString();
  return query === "" ? pathAndQuery.slice(0, mark) : `${pathAndQuery.slice(0, mark)}?${query}`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function canonicalBody(body: Uint8Array | string | undefined): Uint8Array | string {
  if (body === undefined || body.length === 0) return "";
  let text: string;
  if (typeof body === "string") {
    text = body;
  } else {
    try {
      text = utf8.decode(body);
    } catch {
      return body;
    }
  }
  return canonicalJson(text) ?? body;
}
