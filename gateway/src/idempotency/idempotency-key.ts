import { createHash } from "node:crypto";
import { BadRequestError } from "@velaflows/kit";

/** The request header that carries the key. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Reads the `Idempotency-Key` header as node:http gives it: undefined when absent, the key when
 * valid (1 to 255 visible ASCII characters, no spaces, as Stripe allows), and a BadRequestError
 * (400) otherwise, including for a header sent twice (node joins repeats with ", ").
 */
export function parseIdempotencyKey(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== "string") {
    if (header.length !== 1) throw new BadRequestError("Send exactly one Idempotency-Key header");
    return parseIdempotencyKey(header[0]);
  }
  if (!VALID_KEY.test(header)) {
    throw new BadRequestError("Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)");
  }
  return header;
}

/**
 * The store key for one caller's Idempotency-Key: SHA-256 (hex) over the principal, the workspace
 * and the key, so two callers (or one caller in two workspaces) who pick the same key never see
 * each other's responses, whatever characters the parts contain.
 */
export function idempotencyScopeKey(principalKey: string, workspaceId: string | undefined, key: string): string {
  return createHash("sha256")
    .update(JSON.stringify([principalKey, workspaceId ?? null, key]))
    .digest("hex");
}
