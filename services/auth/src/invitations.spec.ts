import { expectFailure } from "@velaflows/testing";
import { freshEmail, latestMailEvent, PLATFORM_WORKSPACE_ID, startAuthHarness, type Account, type AuthHarness } from "./test-harness";

let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

async function roleId(account: Account, key: string): Promise<string> {
  return (await account.roles.listRoles({})).items.find((r) => r.key === key)!.id;
}

async function invitationToken(email: string): Promise<string> {
  return (await latestMailEvent(harness, "auth.invitation.delivery_requested", email)).data.token as string;
}

describe("invitations", () => {
  test("invite a new address: the token goes to the mail service only; accepting creates the account", async () => {
    const owner = await harness.register({ workspaceName: "Acme" });
    const email = freshEmail("invitee");
    const agentRoleId = await roleId(owner, "agent");
    const { invitation } = await owner.invitations.createInvitation({ email: email.toUpperCase(), roleId: agentRoleId });
    expect(invitation).toMatchObject({ email, roleId: agentRoleId, roleName: "Agent", status: "pending", invitedBy: owner.userId, sendCount: 1 });
    expect(JSON.stringify(invitation)).not.toMatch(/token|hash/i);

    // The workspace's event names the invitation; only the platform-addressed one carries the token.
    const [invited] = await harness.outbox(owner.workspaceId, "auth.member.invited");
    expect(invited!.data.invitation).toMatchObject({ _id: invitation!.id, email });
    expect(JSON.stringify(invited!.data)).not.toMatch(/token/i);
    const delivery = await latestMailEvent(harness, "auth.invitation.delivery_requested", email);
    expect(delivery.workspace_id).toBe(PLATFORM_WORKSPACE_ID);
    expect(delivery.data).toMatchObject({ invitationId: invitation!.id, workspaceId: owner.workspaceId, workspaceName: "Acme", roleName: "Agent", invitedByName: owner.name });

    const missing = await expectFailure(harness.anonymous.invitations.acceptInvitation({ token: delivery.data.token }));
    expect(missing.violations).toEqual([
      { path: "name", message: "is required to create an account" },
      { path: "password", message: "is required to create an account" },
    ]);

    const accepted = await harness.anonymous.invitations.acceptInvitation({ token: delivery.data.token, name: "New Agent", password: "invited passphrase" });
    expect(accepted).toMatchObject({
      accountCreated: true,
      workspace: { id: owner.workspaceId },
      member: { email, role: "agent", invitedBy: owner.userId },
      user: { email, name: "New Agent", emailVerified: true },
      tokenType: "Bearer",
    });
    expect(accepted.refreshToken).toBeTruthy();
    expect((await harness.anonymous.auth.login({ email, password: "invited passphrase" })).workspaces.map((w) => w.id)).toEqual([owner.workspaceId]);

    const { items } = await owner.invitations.listInvitations({});
    expect(items.map((i) => i.status)).toEqual(["accepted"]);
    expect(await expectFailure(harness.anonymous.invitations.acceptInvitation({ token: delivery.data.token, name: "x", password: "another passphrase" }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "INVITATION_ACCEPTED",
    });
    const [joined] = await harness.outbox(owner.workspaceId, "auth.member.joined").then((rows) => rows.filter((r) => r.data.member.email === email));
    expect(joined!.data.member).toMatchObject({ userId: accepted.user!.id, role: "agent" });
  });

  test("an existing account joins by token, and cannot be joined by someone signed in as another account", async () => {
    const owner = await harness.register();
    const existing = await harness.register();
    const bystander = await harness.register();
    await owner.invitations.createInvitation({ email: existing.email, roleId: await roleId(owner, "admin") });
    const token = await invitationToken(existing.email);
    expect(await expectFailure(harness.as({ userId: bystander.userId }).invitations.acceptInvitation({ token }))).toMatchObject({ code: "PERMISSION_DENIED" });
    const accepted = await harness.as({ userId: existing.userId }).invitations.acceptInvitation({ token });
    expect(accepted).toMatchObject({ accountCreated: false, accessToken: "", refreshToken: "", member: { userId: existing.userId, role: "admin" } });
  });

  test("revoke and resend: only the newest token of an open invitation works", async () => {
    const owner = await harness.register();
    const email = freshEmail();
    const { invitation } = await owner.invitations.createInvitation({ email, roleId: await roleId(owner, "agent") });
    const first = await invitationToken(email);
    const { invitation: resent } = await owner.invitations.resendInvitation({ id: invitation!.id });
    expect(resent).toMatchObject({ sendCount: 2, status: "pending" });
    const second = await invitationToken(email);
    expect(second).not.toBe(first);
    expect(await expectFailure(harness.anonymous.invitations.acceptInvitation({ token: first, name: "x", password: "a passphrase" }))).toMatchObject({
      code: "UNAUTHENTICATED",
    });

    const { invitation: revoked } = await owner.invitations.revokeInvitation({ id: invitation!.id });
    expect(revoked!.status).toBe("revoked");
    expect(await expectFailure(harness.anonymous.invitations.acceptInvitation({ token: second, name: "x", password: "a passphrase" }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "INVITATION_REVOKED",
    });
    expect(await expectFailure(owner.invitations.resendInvitation({ id: invitation!.id }))).toMatchObject({ code: "FAILED_PRECONDITION" });
  });

  test("an expired invitation cannot be accepted, and a new one replaces it", async () => {
    const owner = await harness.register();
    const email = freshEmail();
    const { invitation } = await owner.invitations.createInvitation({ email, roleId: await roleId(owner, "agent") });
    const token = await invitationToken(email);
    await harness.db.query(`UPDATE "auth"."invitations" SET "expires_at" = now() - interval '1 second' WHERE "id" = $1`, [invitation!.id]);
    expect(await expectFailure(harness.anonymous.invitations.acceptInvitation({ token, name: "x", password: "a passphrase" }))).toMatchObject({
      code: "FAILED_PRECONDITION",
      reason: "INVITATION_EXPIRED",
    });
    expect((await owner.invitations.listInvitations({ status: "expired" })).items.map((i) => i.id)).toEqual([invitation!.id]);
    const { invitation: again } = await owner.invitations.createInvitation({ email, roleId: await roleId(owner, "agent") });
    expect(again!.id).not.toBe(invitation!.id);
  });

  test("refuses a pending duplicate, a member's address and the owner role", async () => {
    const owner = await harness.register();
    const member = await harness.join(owner, "agent");
    const email = freshEmail();
    await owner.invitations.createInvitation({ email, roleId: await roleId(owner, "agent") });
    expect(await expectFailure(owner.invitations.createInvitation({ email, roleId: await roleId(owner, "admin") }))).toMatchObject({
      code: "ALREADY_EXISTS",
      reason: "INVITATION_PENDING",
    });
    expect(await expectFailure(owner.invitations.createInvitation({ email: member.email, roleId: await roleId(owner, "agent") }))).toMatchObject({
      code: "ALREADY_EXISTS",
      reason: "ALREADY_MEMBER",
    });
    expect(await expectFailure(owner.invitations.createInvitation({ email: freshEmail(), roleId: await roleId(owner, "owner") }))).toMatchObject({
      code: "PERMISSION_DENIED",
    });
  });

  test("an agent cannot invite; an admin cannot invite with permissions it lacks", async () => {
    const owner = await harness.register();
    const agent = await harness.join(owner, "agent");
    expect(await expectFailure(agent.invitations.createInvitation({ email: freshEmail(), roleId: await roleId(owner, "agent") }))).toMatchObject({
      code: "PERMISSION_DENIED",
      message: 'Missing permission "auth:manage"',
    });
  });
});
