import { expectFailure } from "@velaflows/testing";
import { freshEmail, latestMailEvent, PLATFORM_WORKSPACE_ID, startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("forgot and reset password", () => {
  test("the token travels only in the outbox event, works once, and ends every session", async () => {
    const account = await harness.register();
    const forgot = await harness.anonymous.auth.forgotPassword({ email: account.email });
    expect(forgot).toEqual({});

    const event = await latestMailEvent(harness, "auth.password.reset_requested", account.email);
    expect(event.workspace_id).toBe(PLATFORM_WORKSPACE_ID);
    expect(event.data).toMatchObject({ userId: account.userId, email: account.email, name: account.name });
    const token = event.data.token as string;
    expect(token).toMatch(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/);
    // Stored hashed only.
    const { rows } = await harness.db.query(`SELECT "secret_hash" FROM "auth"."one_time_tokens" WHERE "id" = $1`, [token.split(".")[0]]);
    expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].secret_hash).not.toContain(token.split(".")[1]);

    await harness.anonymous.auth.resetPassword({ token, newPassword: "reset passphrase" });
    expect((await harness.anonymous.auth.login({ email: account.email, password: "reset passphrase" })).user!.id).toBe(account.userId);
    await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }));
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken }))).toMatchObject({ code: "UNAUTHENTICATED" });

    const reused = await expectFailure(harness.anonymous.auth.resetPassword({ token, newPassword: "another passphrase" }));
    expect(reused).toMatchObject({ code: "FAILED_PRECONDITION", reason: "TOKEN_USED" });
    // Reaching the mailbox verified the address.
    expect((await account.auth.getMe({})).user!.emailVerified).toBe(true);
  });

  test("an unknown address gets the same answer and no event", async () => {
    const before = (await harness.outbox(PLATFORM_WORKSPACE_ID, "auth.password.reset_requested")).length;
    expect(await harness.anonymous.auth.forgotPassword({ email: freshEmail("ghost") })).toEqual({});
    expect(await harness.outbox(PLATFORM_WORKSPACE_ID, "auth.password.reset_requested")).toHaveLength(before);
  });

  test("a newer token replaces the older one", async () => {
    const account = await harness.register();
    await harness.anonymous.auth.forgotPassword({ email: account.email });
    const first = (await latestMailEvent(harness, "auth.password.reset_requested", account.email)).data.token as string;
    await harness.anonymous.auth.forgotPassword({ email: account.email });
    const second = (await latestMailEvent(harness, "auth.password.reset_requested", account.email)).data.token as string;
    expect(second).not.toBe(first);
    expect(await expectFailure(harness.anonymous.auth.resetPassword({ token: first, newPassword: "reset passphrase" }))).toMatchObject({
      code: "FAILED_PRECONDITION",
    });
    await harness.anonymous.auth.resetPassword({ token: second, newPassword: "reset passphrase" });
  });

  test("an expired token is refused", async () => {
    const account = await harness.register();
    await harness.anonymous.auth.forgotPassword({ email: account.email });
    const token = (await latestMailEvent(harness, "auth.password.reset_requested", account.email)).data.token as string;
    await harness.db.query(`UPDATE "auth"."one_time_tokens" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`, [token.split(".")[0]]);
    expect(await expectFailure(harness.anonymous.auth.resetPassword({ token, newPassword: "reset passphrase" }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "TOKEN_EXPIRED",
    });
  });

  test.each([["garbage", "nope"], ["a forged secret", `${"0".repeat(24)}.${"x".repeat(43)}`]])("%s is UNAUTHENTICATED", async (_, token) => {
    expect(await expectFailure(harness.anonymous.auth.resetPassword({ token, newPassword: "reset passphrase" }))).toMatchObject({
      code: "UNAUTHENTICATED",
      message: "Invalid token",
    });
  });

  test("the new password follows the rules", async () => {
    const failure = await expectFailure(harness.anonymous.auth.resetPassword({ token: "whatever", newPassword: "short" }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "newPassword", message: "must be at least 8 characters" }] });
  });
});

describe("e-mail verification", () => {
  test("registration sends a token that verifies the address once", async () => {
    const account = await harness.register();
    const event = await latestMailEvent(harness, "auth.email.verification_requested", account.email);
    expect(event.workspace_id).toBe(PLATFORM_WORKSPACE_ID);
    const { user } = await harness.anonymous.auth.verifyEmail({ token: event.data.token });
    expect(user).toMatchObject({ id: account.userId, emailVerified: true });
    expect(await expectFailure(harness.anonymous.auth.verifyEmail({ token: event.data.token }))).toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(await expectFailure(account.auth.resendEmailVerification({}))).toMatchObject({ code: "FAILED_PRECONDITION", reason: "EMAIL_ALREADY_VERIFIED" });
  });

  test("a resend replaces the earlier token", async () => {
    const account = await harness.register();
    const first = (await latestMailEvent(harness, "auth.email.verification_requested", account.email)).data.token as string;
    await account.auth.resendEmailVerification({});
    const second = (await latestMailEvent(harness, "auth.email.verification_requested", account.email)).data.token as string;
    expect(await expectFailure(harness.anonymous.auth.verifyEmail({ token: first }))).toMatchObject({ code: "FAILED_PRECONDITION" });
    expect((await harness.anonymous.auth.verifyEmail({ token: second })).user!.emailVerified).toBe(true);
  });

  test("a password-reset token does not verify an address", async () => {
    const account = await harness.register();
    await harness.anonymous.auth.forgotPassword({ email: account.email });
    const token = (await latestMailEvent(harness, "auth.password.reset_requested", account.email)).data.token as string;
    expect(await expectFailure(harness.anonymous.auth.verifyEmail({ token }))).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
