import { FailedPreconditionError, UnauthenticatedError } from "@velaflows/kit";
import type { AuthStore, AuthUnit } from "../persistence/auth-store";
import type { OneTimeTokenEntity, OneTimeTokenPurpose } from "../persistence/one-time-token.entity";
import type { UserEntity } from "../persistence/user.entity";
import { issueSecretToken, parseSecretToken, secretMatches } from "./secret-tokens";

/** A token just issued: the whole token goes into an event for the mail service, and nowhere else. */
export interface IssuedOneTimeToken {
  token: string;
  expiresAt: Date;
}

/** Issues a new token for `purpose`; the user's earlier open tokens for it stop working. */
export async function issueOneTimeToken(unit: AuthUnit, user: UserEntity, purpose: OneTimeTokenPurpose, ttlMs: number, now = new Date()): Promise<IssuedOneTimeToken> {
  await unit.oneTimeTokens.invalidateOpen(user.id, purpose, now);
  const issued = issueSecretToken();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await unit.oneTimeTokens.insert({ id: issued.id, userId: user.id, purpose, secretHash: issued.secretHash, email: user.email, expiresAt, usedAt: null });
  return { token: issued.token, expiresAt };
}

/**
 * Finds the token a caller presents and checks it can still be redeemed: an unknown or forged
 * token is UNAUTHENTICATED; a genuine one that was used or has expired is FAILED_PRECONDITION.
 * The caller redeems it with `markUsed` inside its transaction (which only one redemption wins).
 */
export async function findRedeemable(source: AuthStore["read"] | AuthUnit, purpose: OneTimeTokenPurpose, presented: string): Promise<OneTimeTokenEntity> {
  const parsed = parseSecretToken(presented);
  const row = parsed ? await source.oneTimeTokens.findById(parsed.id) : null;
  if (!parsed || !row || row.purpose !== purpose || !secretMatches(parsed.secret, row.secretHash)) throw new UnauthenticatedError("Invalid token");
  assertRedeemable(row);
  return row;
}

export function assertRedeemable(row: OneTimeTokenEntity, now = new Date()): void {
  if (row.usedAt) throw new FailedPreconditionError("This token was already used", "TOKEN_USED");
  if (row.expiresAt <= now) throw new FailedPreconditionError("This token has expired", "TOKEN_EXPIRED");
}

/** Redeems a token found by {@link findRedeemable}, inside the transaction that acts on it. */
export async function redeem(unit: AuthUnit, row: OneTimeTokenEntity): Promise<void> {
  if (!(await unit.oneTimeTokens.markUsed(row.id, new Date()))) throw new FailedPreconditionError("This token was already used", "TOKEN_USED");
}
