import { createHmac, randomBytes } from "node:crypto";

/** `sha256=<hex HMAC-SHA256 of the raw body keyed with the secret>`: the X-Webhook-Signature value. */
export function signatureOf(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** A new signing secret in the documented form: "whsec_" and 48 hex characters (192 bits). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("hex")}`;
}
