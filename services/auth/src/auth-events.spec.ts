import { PLATFORM_WORKSPACE_ID, startAuthHarness, type AuthHarness } from "./test-harness";

// Delivery to the bus comes with the event backbone; what Auth owes it is an outbox row per change,
// written in the same transaction, in the documented envelope.
let harness: AuthHarness;
beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

test("workspace events go to the workspace; token-carrying ones only to the platform id", async () => {
  const owner = await harness.register();
  const member = await harness.join(owner, "agent");
  const adminRoleId = (await owner.roles.listRoles({})).items.find((r) => r.key === "admin")!.id;
  await owner.members.updateMember({ userId: member.userId, roleId: adminRoleId });
  await owner.workspaces.updateWorkspace({ id: owner.workspaceId, workspace: { name: "Renamed" }, updateMask: ["name"] });
  await owner.members.removeMember({ userId: member.userId });

  const events = await harness.outbox(owner.workspaceId);
  expect(events.map((e) => e.event_type)).toEqual([
    "auth.workspace.created",
    "auth.member.joined",
    "auth.user.registered",
    "auth.member.invited",
    "auth.member.joined",
    "auth.member.role_changed",
    "auth.workspace.updated",
    "auth.member.removed",
  ]);
  for (const event of events) {
    expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);
    // No event a tenant can subscribe to carries a token.
    expect(JSON.stringify(event.data)).not.toMatch(/"token"/);
  }
  expect(events[2]!.data).toEqual({ userId: owner.userId, email: owner.email, name: owner.name, source: "register" });
  expect(events[5]!.data).toMatchObject({ userId: member.userId, previousRole: "agent", role: "admin", roleId: adminRoleId, changedBy: owner.userId });
  expect(events[7]!.data).toEqual({ userId: member.userId, reason: "removed", removedBy: owner.userId });

  const mail = (await harness.outbox(PLATFORM_WORKSPACE_ID)).filter((e) => [owner.email, member.email].includes(e.data.email));
  expect(mail.map((e) => e.event_type).sort()).toEqual(
    ["auth.email.verification_requested", "auth.email.verification_requested", "auth.invitation.delivery_requested"].sort(),
  );
});

test("a refused change writes no event", async () => {
  const owner = await harness.register();
  const before = await harness.outbox(owner.workspaceId);
  await owner.members.leaveWorkspace({}).catch(() => undefined); // the owner cannot leave
  await owner.roles.createRole({ name: "Owner", permissions: ["tags:read"] }).catch(() => undefined); // name taken
  expect(await harness.outbox(owner.workspaceId)).toEqual(before);
});
