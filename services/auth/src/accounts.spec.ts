import { expectFailure } from "@velaflows/testing";
import { freshEmail, startAuthHarness, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe("Register", () => {
  test("stores the e-mail trimmed and lower-case, and the password as an argon2id hash", async () => {
    const email = freshEmail("Mixed.Case").replace("example.com", "Example.COM");
    const { user } = await harness.anonymous.auth.register({ email, password: "correct horse battery", name: "  Ada  " });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: "Ada" });
    const { rows } = await harness.db.query(`SELECT "email", "password_hash" FROM "auth"."users" WHERE "id" = $1`, [user!.id]);
    expect(rows[0].email).toBe(email.toLowerCase());
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0].password_hash).not.toContain("correct horse battery");
  });

  test("names the first workspace after the user when no name is given", async () => {
    const { workspace } = await harness.anonymous.auth.register({ email: freshEmail(), password: "correct horse battery", name: "Ada" });
    expect(workspace!.name).toBe("Ada's workspace");
  });

  test("refuses an address that already has an account, ignoring case, with ALREADY_EXISTS", async () => {
    const account = await harness.register();
    const failure = await expectFailure(harness.anonymous.auth.register({ email: account.email.toUpperCase(), password: "another passphrase", name: "Twin" }));
    expect(failure).toMatchObject({ code: "ALREADY_EXISTS", reason: "EMAIL_TAKEN" });
  });

  test("two concurrent registrations of one address: one account", async () => {
    const email = freshEmail("race");
    const results = await Promise.allSettled(
      [1, 2].map(() => harness.anonymous.auth.register({ email, password: "correct horse battery", name: "Racer" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const { rows } = await harness.db.query(`SELECT count(*)::int AS n FROM "auth"."users" WHERE "email" = $1`, [email]);
    expect(rows[0].n).toBe(1);
  });

  test.each([
    ["a 7-character password", { password: "1234567" }, [{ path: "password", message: "must be at least 8 characters" }]],
    ["a 129-character password", { password: "x".repeat(129) }, [{ path: "password", message: "must be at most 128 characters" }]],
    ["no password", { password: "" }, [{ path: "password", message: "is required" }]],
    ["a malformed e-mail", { email: "not-an-email" }, [{ path: "email", message: "must be a valid email address" }]],
    ["no name", { name: "" }, [{ path: "name", message: "is required" }]],
    ["a blank name", { name: "   " }, [{ path: "name", message: "is required" }]],
    ["a 101-character workspace name", { workspaceName: "w".repeat(101) }, [{ path: "workspaceName", message: "must be at most 100 characters" }]],
  ])("refuses %s", async (_, overrides, violations) => {
    const failure = await expectFailure(
      harness.anonymous.auth.register({ email: freshEmail(), password: "correct horse battery", name: "Ada", ...overrides }),
    );
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT", violations });
  });

  test("accepts an 8-character password", async () => {
    const { user } = await harness.anonymous.auth.register({ email: freshEmail(), password: "12345678", name: "Short" });
    expect(user!.id).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe("GetMe and UpdateMe", () => {
  test("returns the caller and never a secret", async () => {
    const account = await harness.register();
    const { user } = await account.auth.getMe({});
    expect(user).toMatchObject({ id: account.userId, email: account.email, name: account.name, emailVerified: false });
    expect(JSON.stringify(user)).not.toMatch(/argon2|password|hash/i);
  });

  test("requires the user", async () => {
    const account = await harness.register();
    const failure = await expectFailure(harness.as({ workspaceId: account.workspaceId }).auth.getMe({}));
    expect(failure).toMatchObject({ code: "UNAUTHENTICATED", message: "x-user-id metadata is required" });
  });

  test("the caller's own account needs no workspace: access \"user\"", async () => {
    const account = await harness.register();
    const me = harness.as({ userId: account.userId });
    expect((await me.auth.getMe({})).user!.id).toBe(account.userId);
    expect((await me.auth.listSessions({})).items.length).toBeGreaterThan(0);
    expect((await me.workspaces.listMyWorkspaces({})).items.map((w) => w.id)).toContain(account.workspaceId);
    const { workspace } = await me.workspaces.createWorkspace({ name: "Second shop" });
    expect((await me.workspaces.listMyWorkspaces({})).items.map((w) => w.id)).toEqual(expect.arrayContaining([account.workspaceId, workspace!.id]));
  });

  test("changes only the fields in the mask", async () => {
    const account = await harness.register();
    const { user } = await account.auth.updateMe({
      user: { name: "Countess", locale: "en-GB", timezone: "Europe/London", avatarUrl: "https://example.com/a.png" },
      updateMask: ["name", "timezone"],
    });
    expect(user).toMatchObject({ name: "Countess", timezone: "Europe/London", locale: "", avatarUrl: "" });
  });

  test.each([
    ["an unknown time zone", { timezone: "Mars/Olympus" }, ["timezone"], [{ path: "user.timezone", message: "must be an IANA time zone such as Europe/Berlin" }]],
    ["a malformed locale", { locale: "english!" }, ["locale"], [{ path: "user.locale", message: expect.stringContaining("must match") }]],
    ["a blank name", { name: "  " }, ["name"], [{ path: "user.name", message: "is required" }]],
    ["the e-mail address", { name: "x" }, ["email"], [{ path: "updateMask", message: expect.stringContaining("cannot update email") }]],
  ])("refuses %s", async (_, user, updateMask, violations) => {
    const account = await harness.register();
    expect(await expectFailure(account.auth.updateMe({ user, updateMask }))).toMatchObject({ code: "INVALID_ARGUMENT", violations });
  });
});
