import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "aes-256-gcm";

/**
 * Encrypts a private key for storage with AES-256-GCM under `key` (32 bytes), bound to `keyId`
 * (the authenticated data), so a stored value cannot be moved to another key's row.
 * Output: "aes-256-gcm:<iv>:<tag>:<ciphertext>", each part base64url.
 */
export function encryptPrivateKey(plaintext: string, key: Buffer, keyId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(keyId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(":");
}

/** Reverses {@link encryptPrivateKey}; throws when the key or the key id is not the one used. */
export function decryptPrivateKey(stored: string, key: Buffer, keyId: string): string {
  const [prefix, iv, tag, ciphertext] = stored.split(":");
  if (prefix !== PREFIX || !iv || !tag || ciphertext === undefined) throw new Error(`signing key ${keyId}: unknown encrypted format`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new Error(`signing key ${keyId} cannot be decrypted: AUTH_KEY_ENCRYPTION_KEY is not the key it was encrypted with`, { cause: error });
  }
}
