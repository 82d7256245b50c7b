import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isObjectId, newObjectId } from "@velaflows/kit";

/**
 * Refresh, password-reset, verification and invitation tokens: "<id>.<secret>", where `id` is the
 * 24-hex id of the row that stores SHA-256(secret) and `secret` is 32 random bytes in base64url.
 * The row is found by its id (the "selector") and the secret is compared in constant time, so
 * neither the database lookup nor the comparison leaks how much of a guess was right.
 */
export interface IssuedSecretToken {
  /** The row id. */
  id: string;
  /** The whole token, handed to its owner once and never stored or logged. */
  token: string;
  /** Hex SHA-256 of the secret: what is stored. */
  secretHash: string;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Makes a new token for a row with id `id` (a new id by default). */
export function issueSecretToken(id: string = newObjectId()): IssuedSecretToken {
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a presented token; undefined when it is not shaped like one of ours. */
export function parseSecretToken(token: string): { id: string; secret: string } | undefined {
  const dot = token.indexOf(".");
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  return isObjectId(id) && SECRET.test(secret) ? { id, secret } : undefined;
}

/** True when `secret` hashes to `storedHash`, compared in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
