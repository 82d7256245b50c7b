import { FailedPreconditionError, NotFoundError } from "@velaflows/kit";
import type { AuthUnit } from "../persistence/auth-store";
import type { UserEntity } from "../persistence/user.entity";
import { audit, PLATFORM_WORKSPACE_ID } from "./audit";
import { emailVerificationRequested } from "./auth-events";
import type { AuthDeps, AuthSettings } from "./deps";
import { findRedeemable, issueOneTimeToken, redeem } from "./one-time-tokens";
import type { CallOrigin } from "./origin";

/** Issues a verification token for the user's address and hands it to the mail service (an event). */
export async function requestEmailVerification(unit: AuthUnit, settings: AuthSettings, user: UserEntity): Promise<void> {
  const issued = await issueOneTimeToken(unit, user, "email_verification", settings.emailVerificationTtlHours * 3600_000);
  await unit.publish([
    emailVerificationRequested(PLATFORM_WORKSPACE_ID, { userId: user.id, email: user.email, name: user.name, token: issued.token, expiresAt: issued.expiresAt }),
  ]);
}

/** Sends a new verification token to the caller's address. */
export async function resendEmailVerification(deps: AuthDeps, userId: string): Promise<void> {
  await deps.store.transaction(async (unit) => {
    const user = await unit.users.findById(userId);
    if (!user) throw new NotFoundError("User", userId);
    if (user.emailVerifiedAt) throw new FailedPreconditionError("This e-mail address is already verified", "EMAIL_ALREADY_VERIFIED");
    await requestEmailVerification(unit, deps.settings, user);
  });
}

/** Marks the address a verification token was sent to as verified. */
export async function verifyEmail(deps: AuthDeps, token: string, origin: CallOrigin): Promise<UserEntity> {
  return deps.store.transaction(async (unit) => {
    const row = await findRedeemable(unit, "email_verification", token);
    const user = await unit.users.findById(row.userId);
    if (!user || user.email !== row.email) throw new FailedPreconditionError("The account's e-mail address has changed since this token was sent", "EMAIL_CHANGED");
    await redeem(unit, row);
    if (!user.emailVerifiedAt) {
      await unit.users.update(user.id, { emailVerifiedAt: new Date() });
      await audit(unit, PLATFORM_WORKSPACE_ID, { ...origin, userId: user.id }, { action: "user.email_verified", targetType: "user", targetId: user.id });
    }
    return (await unit.users.findById(user.id))!;
  });
}
