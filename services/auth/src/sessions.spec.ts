import { expectFailure } from "@velaflows/testing";
import { startAuthHarness, freshEmail, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("register, login, refresh, logout", () => {
  test("the whole flow, each refresh token working once", async () => {
    const email = freshEmail("flow");
    const registered = await harness.anonymous.auth.register({ email, password: "s3cret-passphrase", name: "Grace Hopper", workspaceName: "Navy" });
    expect(registered).toMatchObject({
      user: { email, name: "Grace Hopper", emailVerified: false },
      workspace: { name: "Navy", ownerId: registered.user!.id },
      tokenType: "Bearer",
      expiresIn: 900,
    });
    expect(registered.accessToken.split(".")).toHaveLength(3);
    expect(registered.refreshToken).toMatch(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/);

    const login = await harness.anonymous.auth.login({ email, password: "s3cret-passphrase" });
    expect(login.user!.id).toBe(registered.user!.id);
    expect(login.workspaces).toEqual([expect.objectContaining({ id: registered.workspace!.id, name: "Navy", role: "owner", roleName: "Owner" })]);
    expect(login.refreshToken).not.toBe(registered.refreshToken);

    const refreshed = await harness.anonymous.auth.refreshToken({ refreshToken: login.refreshToken });
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    expect(refreshed).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    const again = await harness.anonymous.auth.refreshToken({ refreshToken: refreshed.refreshToken });

    await harness.anonymous.auth.logout({ refreshToken: again.refreshToken });
    const afterLogout = await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: again.refreshToken }));
    expect(afterLogout).toMatchObject({ code: "UNAUTHENTICATED", message: "Session has ended" });

    // The registration's own session is untouched by the other session's logout.
    expect((await harness.anonymous.auth.refreshToken({ refreshToken: registered.refreshToken })).accessToken).toBeTruthy();
  });

  test("a rotated refresh token presented again revokes its whole family", async () => {
    const account = await harness.register();
    const first = await harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken });
    const second = await harness.anonymous.auth.refreshToken({ refreshToken: first.refreshToken });

    // The attacker replays the first (already rotated) token...
    const reuse = await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: first.refreshToken }));
    expect(reuse.code).toBe("UNAUTHENTICATED");
    // ...and the legitimate holder's newest token dies with the family.
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: second.refreshToken }))).toMatchObject({
      code: "UNAUTHENTICATED",
      message: "Session has ended",
    });
    const { rows } = await harness.db.query(`SELECT "revoked_reason" FROM "auth"."sessions" WHERE "user_id" = $1`, [account.userId]);
    expect(rows.map((r) => r.revoked_reason)).toEqual(["reuse_detected"]);
  });

  test("concurrent refreshes with one token: one wins, the other is a reuse", async () => {
    const account = await harness.register();
    const results = await Promise.allSettled([
      harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken }),
      harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  test.each([
    ["garbage", "not-a-token"],
    ["an unknown id", `${"a".repeat(24)}.${"b".repeat(43)}`],
  ])("refresh with %s is UNAUTHENTICATED", async (_, refreshToken) => {
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken }))).toMatchObject({ code: "UNAUTHENTICATED", message: "Invalid refresh token" });
  });

  test("a forged secret for a real token id is refused", async () => {
    const account = await harness.register();
    const [id] = account.refreshToken.split(".");
    const forged = `${id}.${"A".repeat(43)}`;
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: forged }))).toMatchObject({ code: "UNAUTHENTICATED", message: "Invalid refresh token" });
    // The genuine token still works: a forgery is not a reuse.
    expect((await harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken })).accessToken).toBeTruthy();
  });
});

describe("Login refusals", () => {
  test("a wrong password and an unknown e-mail get the same answer", async () => {
    const account = await harness.register();
    const wrongPassword = await expectFailure(harness.anonymous.auth.login({ email: account.email, password: "not the password" }));
    const unknownEmail = await expectFailure(harness.anonymous.auth.login({ email: freshEmail("nobody"), password: "not the password" }));
    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword).toMatchObject({ code: "UNAUTHENTICATED", message: "Invalid email or password" });
  });

  test("the e-mail address is matched ignoring case", async () => {
    const account = await harness.register();
    const login = await harness.anonymous.auth.login({ email: account.email.toUpperCase(), password: account.password });
    expect(login.user!.id).toBe(account.userId);
  });
});

describe("sessions", () => {
  test("lists active sessions, marks the current one, and revokes one", async () => {
    const account = await harness.register();
    const other = await harness.anonymous.auth.login({ email: account.email, password: account.password });
    const me = harness.as({ userId: account.userId, workspaceId: account.workspaceId });
    const { items } = await me.auth.listSessions({});
    expect(items).toHaveLength(2);

    const otherSessionId = items.find((s) => s.id !== items[1]!.id)!.id;
    const marked = await harness.as({ userId: account.userId, workspaceId: account.workspaceId, sessionId: otherSessionId }).auth.listSessions({});
    expect(marked.items.filter((s) => s.current).map((s) => s.id)).toEqual([otherSessionId]);

    // Revoke the login's session: its refresh token stops working.
    const { rows } = await harness.db.query(`SELECT "session_id" FROM "auth"."refresh_tokens" WHERE "id" = $1`, [other.refreshToken.split(".")[0]]);
    await me.auth.revokeSession({ id: rows[0].session_id });
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: other.refreshToken }))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect((await me.auth.listSessions({})).items).toHaveLength(1);
  });

  test("another user's session is NOT_FOUND", async () => {
    const owner = await harness.register();
    const intruder = await harness.register();
    const { items } = await owner.auth.listSessions({});
    const failure = await expectFailure(intruder.auth.revokeSession({ id: items[0]!.id }));
    expect(failure).toMatchObject({ code: "NOT_FOUND", resource: { type: "Session", id: items[0]!.id } });
    expect(await owner.auth.listSessions({})).toEqual({ items });
  });
});

describe("ChangePassword", () => {
  test("ends every session and answers a new one", async () => {
    const account = await harness.register();
    const changed = await account.auth.changePassword({ currentPassword: account.password, newPassword: "a brand new passphrase" });
    expect(await expectFailure(harness.anonymous.auth.refreshToken({ refreshToken: account.refreshToken }))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect((await harness.anonymous.auth.refreshToken({ refreshToken: changed.refreshToken })).accessToken).toBeTruthy();
    await expectFailure(harness.anonymous.auth.login({ email: account.email, password: account.password }));
    expect((await harness.anonymous.auth.login({ email: account.email, password: "a brand new passphrase" })).user!.id).toBe(account.userId);
  });

  test("refuses a wrong current password", async () => {
    const account = await harness.register();
    const failure = await expectFailure(account.auth.changePassword({ currentPassword: "wrong password", newPassword: "a brand new passphrase" }));
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", violations: [{ path: "currentPassword", message: "is incorrect" }] });
  });
});
