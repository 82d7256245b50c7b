import { createHash } from "node:crypto";
import { TooManyRequestsError } from "@velaflows/kit";
import type { AuthStore, AuthUnit } from "../persistence/auth-store";
import type { AuthSettings } from "./deps";

/**
 * The key an address's login attempts are counted under: the SHA-256 (hex) of the normalised
 * address, so that attempts on addresses without an account are not kept in clear.
 */
export function loginThrottleKey(normalisedEmail: string): string {
  return createHash("sha256").update(normalisedEmail).digest("hex");
}

/**
 * Counts a login attempt for an address, before its password is checked, and refuses it once the
 * window already holds `loginMaxFailures` attempts that did not end in a login: the sixth attempt
 * after five failures is refused even with the right password, so guessing stops for everyone.
 * Counting first (one atomic upsert) keeps concurrent attempts from slipping past the limit.
 * Known and unknown addresses are throttled alike, so the answer reveals no account. A successful
 * login (or a password reset) calls {@link clearLoginFailures}. The gateway's `auth` rate-limit
 * class limits the same route per client IP.
 */
export async function admitLoginAttempt(
  store: AuthStore,
  settings: Pick<AuthSettings, "loginMaxFailures" | "loginFailureWindowSeconds">,
  normalisedEmail: string,
): Promise<void> {
  const counted = await store.read.loginFailures.countAttempt(loginThrottleKey(normalisedEmail), settings.loginFailureWindowSeconds);
  if (counted.attempts > settings.loginMaxFailures) {
    const seconds = Math.max(1, Math.ceil(counted.secondsLeft));
    throw new TooManyRequestsError(`Too many failed logins for this e-mail address. Try again in ${seconds} seconds.`, seconds, "LOGIN_THROTTLED");
  }
}

/** Forgets an address's failed logins, after it proved it holds the account. */
export async function clearLoginFailures(unit: Pick<AuthUnit, "loginFailures">, normalisedEmail: string): Promise<void> {
  await unit.loginFailures.clear(loginThrottleKey(normalisedEmail));
}

/** After a failure: drops the rows of windows that have ended (they no longer limit anything). */
export async function forgetEndedLoginWindows(store: AuthStore, settings: Pick<AuthSettings, "loginFailureWindowSeconds">): Promise<void> {
  await store.read.loginFailures.deleteEnded(settings.loginFailureWindowSeconds);
}
