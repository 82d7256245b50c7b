import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A token's environment: `live`, or `test` for the sandbox where channel sends are simulated. */
export type TokenEnvironment = "live" | "test";

/** `sk_live_` or `sk_test_` + 40 characters of [a-z0-9]: 48 in all (the gateway checks the same form). */
export const API_TOKEN_FORMAT = /^sk_(?:live|test)_[a-z0-9]{40}$/;

/** The characters shown to identify a token ("sk_live_a1b2c3d4"); the other 32 stay secret. */
export const VISIBLE_PREFIX_LENGTH = 16;

const RANDOM_LENGTH = 40;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 36 that fits a byte: bytes at or above it are dropped, so every
// character is equally likely (a plain `byte % 36` would favour the first 4 characters).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** A new token and the prefix shown for it. 40 characters of 36 give about 206 bits of entropy. */
export function generateToken(environment: TokenEnvironment): { token: string; prefix: string } {
  let random = "";
  while (random.length < RANDOM_LENGTH) {
    for (const byte of randomBytes(RANDOM_LENGTH)) {
      if (byte < UNBIASED_LIMIT && random.length < RANDOM_LENGTH) random += ALPHABET[byte % ALPHABET.length];
    }
  }
  const token = `sk_${environment}_${random}`;
  return { token, prefix: token.slice(0, VISIBLE_PREFIX_LENGTH) };
}

/** Turns tokens into the hashes the database keeps, and confirms a stored hash. */
export interface TokenHasher {
  /** The hex hash stored for `token` and looked up by. */
  hash(token: string): string;
  /** Whether `storedHash` is the hash of `token`, compared in constant time. */
  matches(token: string, storedHash: string): boolean;
}

/**
 * SHA-256 of the token, or HMAC-SHA256 keyed with `pepper` when one is configured. A fast hash is
 * right here (unlike passwords): tokens carry ~206 random bits, so there is nothing to brute-force.
 */
export function createTokenHasher(pepper?: string): TokenHasher {
  const digest = (token: string): Buffer =>
    pepper === undefined ? createHash("sha256").update(token).digest() : createHmac("sha256", pepper).update(token).digest();
  return {
    hash: (token) => digest(token).toString("hex"),
    matches(token, storedHash) {
      const stored = Buffer.from(storedHash, "hex");
      const computed = digest(token);
      return stored.length === computed.length && timingSafeEqual(stored, computed);
    },
  };
}
