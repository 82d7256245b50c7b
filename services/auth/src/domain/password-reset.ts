import { FailedPreconditionError } from "@velaflows/kit";
import { audit, PLATFORM_WORKSPACE_ID } from "./audit";
import { passwordResetRequested } from "./auth-events";
import type { AuthDeps } from "./deps";
import { normaliseEmail } from "./emails";
import { clearLoginFailures } from "./login-throttle";
import { findRedeemable, issueOneTimeToken, redeem } from "./one-time-tokens";
import type { CallOrigin } from "./origin";

/**
 * Issues a reset token when `email` has an account and hands it to the mail service (an event).
 * Answers the same whether or not it has one, so the route does not tell which addresses exist.
 */
export async function forgotPassword(deps: AuthDeps, email: string, origin: CallOrigin): Promise<void> {
  const user = await deps.store.read.users.findByEmail(normaliseEmail(email));
  if (!user) return;
  await deps.store.transaction(async (unit) => {
    const issued = await issueOneTimeToken(unit, user, "password_reset", deps.settings.passwordResetTtlMinutes * 60_000);
    await unit.publish([
      passwordResetRequested(PLATFORM_WORKSPACE_ID, { userId: user.id, email: user.email, name: user.name, token: issued.token, expiresAt: issued.expiresAt }),
    ]);
    await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: user.id }, { action: "user.password_reset_requested", targetType: "user", targetId: user.id });
  });
}

/**
 * Sets a new password with a reset token: the token is used up, every session of the account
 * ends, and (the token having reached the mailbox) the address counts as verified.
 */
export async function resetPassword(deps: AuthDeps, token: string, newPassword: string, origin: CallOrigin): Promise<void> {
  // Checked before hashing, so forged tokens cost no argon2 work; checked again when redeemed.
  await findRedeemable(deps.store.read, "password_reset", token);
  const passwordHash = await deps.passwords.hash(newPassword);
  await deps.store.transaction(async (unit) => {
    const row = await findRedeemable(unit, "password_reset", token);
    const user = await unit.users.findById(row.userId);
    if (!user || user.email !== row.email) throw new FailedPreconditionError("The account's e-mail address has changed since this token was sent", "EMAIL_CHANGED");
    await redeem(unit, row);
    const now = new Date();
    await unit.users.update(user.id, { passwordHash, passwordChangedAt: now, ...(user.emailVerifiedAt ? {} : { emailVerifiedAt: now }) });
    const ended = await unit.sessions.revokeAllOfUser(user.id, "password_reset", now);
    // The reset proves the address is the caller's: failed logins (perhaps someone else's) stop counting.
    await clearLoginFailures(unit, user.email);
    await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: user.id }, {
      action: "user.password_reset",
      targetType: "user",
      targetId: user.id,
      details: { sessionsEnded: ended },
    });
  });
}
