import { expectFailure } from "@velaflows/testing";
import { loginThrottleKey } from "./domain/login-throttle";
import { freshEmail, latestMailEvent, startAuthHarness, type AuthHarness } from "./test-harness";

// Failed logins per e-mail address: 5 per 15 minutes by default, kept in PostgreSQL.
let harness: AuthHarness;
let replica: AuthHarness;
beforeAll(async () => {
  [harness, replica] = await Promise.all([startAuthHarness(), startAuthHarness()]);
});
afterAll(async () => {
  await Promise.all([harness.stop(), replica.stop()]);
});

const THROTTLED = { code: "RESOURCE_EXHAUSTED", reason: "LOGIN_THROTTLED" };

async function failLogins(h: AuthHarness, email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect(await expectFailure(h.anonymous.auth.login({ email, password: `wrong password ${i}` }))).toMatchObject({ code: "UNAUTHENTICATED" });
  }
}

/** Moves the address's window into the past, as if `windowSeconds` had gone by. */
async function endWindow(email: string): Promise<void> {
  await harness.db.query(`UPDATE "auth"."login_failures" SET "window_started_at" = "window_started_at" - interval '15 minutes 1 second' WHERE "email_hash" = $1`, [
    loginThrottleKey(email),
  ]);
}

test("after five failures the sixth attempt is refused, even with the right password, with when to retry", async () => {
  const account = await harness.register();
  await failLogins(harness, account.email, 5);
  const refused = await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }));
  expect(refused).toMatchObject({ ...THROTTLED, message: expect.stringMatching(/^Too many failed logins for this e-mail address\. Try again in \d+ seconds\.$/) });
  expect(refused.retryAfterSeconds).toBeGreaterThan(800);
  expect(refused.retryAfterSeconds).toBeLessThanOrEqual(900);
  // Another address is not affected; the address is counted whatever its case.
  expect((await harness.anonymous.auth.login({ email: (await harness.register()).email, password: account.password })).user).toBeDefined();
  expect(await expectFailure(harness.anonymous.auth.login({ email: account.email.toUpperCase(), password: account.password }))).toMatchObject(THROTTLED);
});

test("an address without an account is throttled alike (the answer reveals no account)", async () => {
  const ghost = freshEmail("ghost");
  await failLogins(harness, ghost, 5);
  expect(await expectFailure(harness.anonymous.auth.login({ email: ghost, password: "whatever it is" }))).toMatchObject(THROTTLED);
  // Only a hash of the address is kept.
  const { rows } = await harness.db.query(`SELECT "email_hash" FROM "auth"."login_failures" WHERE "email_hash" = $1`, [loginThrottleKey(ghost)]);
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(ghost);
});

test("a successful login clears the count", async () => {
  const account = await harness.register();
  await failLogins(harness, account.email, 4);
  await harness.anonymous.auth.login({ email: account.email, password: account.password });
  await failLogins(harness, account.email, 5);
  expect(await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }))).toMatchObject(THROTTLED);
});

test("replicas share the count: failures on one refuse the next attempt on the other", async () => {
  const account = await harness.register();
  await failLogins(harness, account.email, 3);
  await failLogins(replica, account.email, 2);
  expect(await expectFailure(replica.anonymous.auth.login({ email: account.email, password: account.password }))).toMatchObject(THROTTLED);
  expect(await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }))).toMatchObject(THROTTLED);
});

test("concurrent attempts are all counted: at most five get past the check", async () => {
  const account = await harness.register();
  const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => expectFailure(harness.anonymous.auth.login({ email: account.email, password: `wrong ${i}` }))));
  expect(outcomes.filter((o) => o.code === "UNAUTHENTICATED")).toHaveLength(5);
  expect(outcomes.filter((o) => o.code === "RESOURCE_EXHAUSTED")).toHaveLength(3);
});

test("when the window ends the address may try again, and ended windows are cleaned up", async () => {
  const account = await harness.register();
  await failLogins(harness, account.email, 5);
  expect(await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }))).toMatchObject(THROTTLED);
  await endWindow(account.email);
  await failLogins(harness, freshEmail(), 1); // any failure removes ended windows
  const { rows } = await harness.db.query(`SELECT 1 FROM "auth"."login_failures" WHERE "email_hash" = $1`, [loginThrottleKey(account.email)]);
  expect(rows).toHaveLength(0);
  expect((await harness.anonymous.auth.login({ email: account.email, password: account.password })).user!.id).toBe(account.userId);
});

test("a password reset clears the count", async () => {
  const account = await harness.register();
  await failLogins(harness, account.email, 5);
  await harness.anonymous.auth.forgotPassword({ email: account.email });
  const token = (await latestMailEvent(harness, "auth.password.reset_requested", account.email)).data.token as string;
  await harness.anonymous.auth.resetPassword({ token, newPassword: "a fresh passphrase" });
  expect((await harness.anonymous.auth.login({ email: account.email, password: "a fresh passphrase" })).user!.id).toBe(account.userId);
});
